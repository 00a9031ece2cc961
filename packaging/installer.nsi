; The Windows installer for Sổ Tuyên giáo (NSIS 3, Unicode). Built by `py tasks.py build` over the one-folder
; app in dist\SoTuyenGiao; `python3 tasks.py build` on Debian compiles it too (apt-get install nsis), as a check.
;
;   makensis /DVERSION=0.1.0 /DSOURCE=dist\SoTuyenGiao /DOUTFILE=dist\SoTuyenGiao-0.1.0-cai-dat.exe packaging\installer.nsi
;
; A per-user install (no administrator rights): the program goes to %LOCALAPPDATA%\Programs\SoTuyenGiao, a
; Start-menu entry and a desktop shortcut are made, and the uninstaller removes the program only. The data
; (%LOCALAPPDATA%\SoTuyenGiao: the database, backups, logs, settings) is never touched, so installing a new
; version over an old one, or uninstalling and installing again, keeps every record.

Unicode true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef VERSION
  !error "VERSION is missing: makensis /DVERSION=x.y.z …"
!endif
!ifndef SOURCE
  !error "SOURCE is missing: the folder PyInstaller built (dist\SoTuyenGiao)"
!endif
!ifndef OUTFILE
  !define OUTFILE "SoTuyenGiao-${VERSION}-cai-dat.exe"
!endif

!define APP "Sổ Tuyên giáo"
!define EXE "SoTuyenGiao.exe"
!define KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\SoTuyenGiao"

!include "MUI2.nsh"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\SoTuyenGiao"
InstallDirRegKey HKCU "${KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1066 "ProductName" "${APP}"
VIAddVersionKey /LANG=1066 "FileDescription" "Bộ cài ${APP}"
VIAddVersionKey /LANG=1066 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "LegalCopyright" "${APP}"

!define MUI_ICON "..\resources\icons\sotuyengiao.ico"
!define MUI_UNICON "..\resources\icons\sotuyengiao.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${APP} ngay"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"

Section "${APP}"
  SetOutPath "$INSTDIR"
  ; A new version replaces the program's files; the data lives elsewhere and stays.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE}\*.*"
  WriteUninstaller "$INSTDIR\go-cai-dat.exe"

  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortcut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\${EXE}"
  CreateShortcut "$SMPROGRAMS\${APP}\Gỡ cài đặt ${APP}.lnk" "$INSTDIR\go-cai-dat.exe"
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\${EXE}"

  ; Settings › Apps lists it for this user, with its version, icon and uninstaller.
  WriteRegStr HKCU "${KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${KEY}" "Publisher" "${APP}"
  WriteRegStr HKCU "${KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${KEY}" "UninstallString" '"$INSTDIR\go-cai-dat.exe"'
  WriteRegDWORD HKCU "${KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; Only the program: the data folder (%LOCALAPPDATA%\SoTuyenGiao) is the office's records.
  Delete "$DESKTOP\${APP}.lnk"
  RMDir /r "$SMPROGRAMS\${APP}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\tuyengiao-cli.exe"
  Delete "$INSTDIR\go-cai-dat.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${KEY}"
SectionEnd
