; Included by electron-builder's NSIS script (electron-builder.yml, nsis.include). The install is
; per user, like the data directory (%APPDATA%\Quorum): the `quorum` command's folder goes on this
; user's PATH (HKCU) and comes off it at uninstall. The data directory is never removed
; (deleteAppDataOnUninstall: false); neither is the start-at-login entry's data.
!include "WinMessages.nsh"
!include "StrFunc.nsh"
${StrStr}
${UnStrRep}

!define QUORUM_BIN "$INSTDIR\resources\bin"

!macro customInstall
  ClearErrors
  ReadRegStr $0 HKCU "Environment" "Path"
  ${If} ${Errors}
    ; No user PATH, or one longer than this installer can read: never overwrite it blindly.
    DetailPrint "Add ${QUORUM_BIN} to your PATH to use the quorum command."
  ${Else}
    ${StrStr} $1 "$0" "${QUORUM_BIN}"
    ${If} $0 == ""
      WriteRegExpandStr HKCU "Environment" "Path" "${QUORUM_BIN}"
    ${ElseIf} $1 == ""
      WriteRegExpandStr HKCU "Environment" "Path" "$0;${QUORUM_BIN}"
    ${EndIf}
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
!macroend

!macro customUnInstall
  ClearErrors
  ReadRegStr $0 HKCU "Environment" "Path"
  ${IfNot} ${Errors}
    ${UnStrRep} $1 "$0" ";${QUORUM_BIN}" ""
    ${UnStrRep} $1 "$1" "${QUORUM_BIN};" ""
    ${UnStrRep} $1 "$1" "${QUORUM_BIN}" ""
    ${If} $1 != $0
      WriteRegExpandStr HKCU "Environment" "Path" "$1"
      SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
    ${EndIf}
  ${EndIf}
!macroend
