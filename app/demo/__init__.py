"""The synthetic demo district (not a service): one seed, the same database byte for byte. district
builds the tree, people, accounts and office profile and calls meetings, materials and cases for the
ten years of activity; facts holds what they share."""

from app.demo.district import SCALES, DemoBuilder, build
from app.demo.facts import AS_OF, DEMO_USERS, FOUNDED

__all__ = ["AS_OF", "DEMO_USERS", "FOUNDED", "SCALES", "DemoBuilder", "build"]
