"""Public-key sealing of small secrets (a reporter's identity, an attachment), from `cryptography`.

A sealed blob opens with the private key of any one of its recipients, and nobody else's: the data is
encrypted once with a fresh key (AES-256-GCM), and that key is wrapped for each recipient through an
X25519 exchange with a throw-away key pair (HKDF-SHA256 → AES-GCM), much like HPKE's base mode. A
clerk can therefore seal an identity they cannot read back. Plain text is padded to 64 bytes so a
blob's length says little about a name's.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"TG1"
_NONCE = 12
_KEY_ID = 8
_WRAPPED = _NONCE + 32 + 16       # nonce, data key, tag
_RECIPIENT = _KEY_ID + 32 + _WRAPPED


class Unreadable(Exception):
    """Not sealed to this key, or damaged."""


def new_private_key(seed: bytes | None = None) -> X25519PrivateKey:
    """A fresh key; the demo passes 32 bytes from its seed so its database is the same on every build."""
    return X25519PrivateKey.from_private_bytes(seed) if seed else X25519PrivateKey.generate()


def public_bytes(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def private_bytes(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def key_id(public_key: bytes) -> bytes:
    return hashlib.sha256(public_key).digest()[:_KEY_ID]


def fingerprint(public_key: bytes) -> str:
    """What two offices read to each other over the phone to check an imported key."""
    digest = hashlib.sha256(public_key).hexdigest()[:20].upper()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def usable_public_key(public_key: bytes) -> bool:
    """32 bytes that X25519 can seal to: a low-order point (all zeros, say) makes every exchange fail."""
    if len(public_key) != 32:
        return False
    try:
        X25519PrivateKey.generate().exchange(X25519PublicKey.from_public_bytes(public_key))
    except ValueError:
        return False
    return True


# ---- confirming the keys an office seals to ------------------------------------------------------
# A key holder confirms another body's key by signing it with a signing key drawn from the office's own
# private key; a clerk, who holds no secret, checks that signature before sealing to the key. A row put
# in the table by other means (a package, a raw edit) therefore seals nothing.

_CONFIRMED = b"tuyengiao-seal-to:"


def _confirmer(office: X25519PrivateKey) -> Ed25519PrivateKey:
    seed = HKDF(hashes.SHA256(), 32, salt=None, info=b"tuyengiao-confirm").derive(private_bytes(office))
    return Ed25519PrivateKey.from_private_bytes(seed)


def confirming_key(office: X25519PrivateKey) -> bytes:
    """The public half of the office's confirming key, stored beside its public key."""
    return _confirmer(office).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def confirm(office: X25519PrivateKey, public_key: bytes) -> bytes:
    return _confirmer(office).sign(_CONFIRMED + public_key)


def confirmed(confirming: bytes | None, public_key: bytes, signature: bytes | None) -> bool:
    if not confirming or not signature:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(confirming).verify(signature, _CONFIRMED + public_key)
    except (InvalidSignature, ValueError):
        return False
    return True


def wrap(secret: bytes, key: bytes, *, nonce: bytes | None = None) -> bytes:
    """Symmetric: AES-256-GCM under a 32-byte key; the nonce travels in front."""
    nonce = nonce or os.urandom(_NONCE)
    return nonce + AESGCM(key).encrypt(nonce, secret, None)


def unwrap(blob: bytes, key: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], None)
    except (InvalidTag, ValueError):
        raise Unreadable from None


def _wrapping_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"tuyengiao-seal" + ephemeral + recipient).derive(shared)


def seal(plain: bytes, recipients: Sequence[bytes], *, randomness: bytes | None = None) -> bytes:
    """Sealed to every recipient's public key. `randomness` (the demo's seed bytes) makes it repeatable."""
    if not recipients:
        raise ValueError("no recipient")
    stream = _Stream(randomness)
    data_key = stream.take(32)
    padder = padding.PKCS7(512).padder()
    padded = padder.update(plain) + padder.finalize()
    parts = [MAGIC, struct.pack("B", len(recipients))]
    for recipient in recipients:
        ephemeral = X25519PrivateKey.from_private_bytes(stream.take(32))
        ephemeral_public = public_bytes(ephemeral)
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
        parts += [key_id(recipient), ephemeral_public,
                  wrap(data_key, _wrapping_key(shared, ephemeral_public, recipient), nonce=stream.take(_NONCE))]
    parts.append(wrap(padded, data_key, nonce=stream.take(_NONCE)))
    return b"".join(parts)




def recipient_ids(blob: bytes) -> list[bytes]:
    """The key ids a blob is sealed to, read from its front (no key needed)."""
    count = blob[len(MAGIC)]
    start = len(MAGIC) + 1
    return [blob[start + index * _RECIPIENT:start + index * _RECIPIENT + _KEY_ID] for index in range(count)]


def unseal(blob: bytes, keys: Mapping[bytes, X25519PrivateKey]) -> bytes:
    """Opened with whichever of `keys` (key id → private key) it is sealed to."""
    if not blob.startswith(MAGIC):
        raise Unreadable
    count = blob[len(MAGIC)]
    start = len(MAGIC) + 1
    body = blob[start + count * _RECIPIENT:]
    for index in range(count):
        entry = blob[start + index * _RECIPIENT:start + (index + 1) * _RECIPIENT]
        private = keys.get(entry[:_KEY_ID])
        if private is None:
            continue
        ephemeral_public, wrapped = entry[_KEY_ID:_KEY_ID + 32], entry[_KEY_ID + 32:]
        recipient = public_bytes(private)
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        data_key = unwrap(wrapped, _wrapping_key(shared, ephemeral_public, recipient))
        unpadder = padding.PKCS7(512).unpadder()
        try:
            return unpadder.update(unwrap(body, data_key)) + unpadder.finalize()
        except ValueError:
            raise Unreadable from None
    raise Unreadable


class _Stream:
    """Fresh random bytes, or bytes drawn from a seed (the demo only)."""

    def __init__(self, seed: bytes | None) -> None:
        self.seed, self.counter = seed, 0

    def take(self, size: int) -> bytes:
        if self.seed is None:
            return os.urandom(size)
        self.counter += 1
        return hashlib.sha256(self.seed + self.counter.to_bytes(4, "big")).digest()[:size]
