@echo off
rem The installed `quorum` command (Windows): Quorum.exe run as Node on the built CLI inside the
rem app archive. The installer puts this folder on the user's PATH. Same data directory rule as the app.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Quorum.exe" "%~dp0..\app.asar\out\cli\quorum.js" %*
exit /b %ERRORLEVEL%
