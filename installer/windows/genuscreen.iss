; Inno Setup script (Inno Setup 6): installs the PyInstaller bundle dist\genuscreen\ with a
; start-menu entry, an optional desktop icon and an uninstaller. Build the bundle first
; (installer/README.md), then from the project root:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\genuscreen.iss
; The installer is written to dist\genuscreen-<version>-windows-x64-setup.exe.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
; Relative to this script's folder.
#define BundleDir "..\..\dist\genuscreen"

[Setup]
; The AppId identifies the installation for upgrades and the uninstaller: never change it.
AppId={{91C7E66F-FED4-413B-84F1-F12CE40C9C58}
AppName=GenuScreen
AppVersion={#AppVersion}
AppVerName=GenuScreen {#AppVersion}
AppPublisher=GenuScreen
AppComments=Screening support for knock-knees in children from a walking video. Not a diagnosis.
DefaultDirName={autopf}\GenuScreen
DefaultGroupName=GenuScreen
DisableProgramGroupPage=yes
; Per-user install without administrator rights is offered too (school computers).
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\genuscreen-gui.exe
UninstallDisplayName=GenuScreen {#AppVersion}
OutputDir=..\..\dist
OutputBaseFilename=genuscreen-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The Linux menu files (present only in a bundle copied from Linux) are left out.
Source: "{#BundleDir}\*"; Excludes: "*.desktop,*.sh"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\GenuScreen"; Filename: "{app}\genuscreen-gui.exe"; Comment: "Knee alignment screening"
Name: "{group}\GenuScreen self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\genuscreen.exe"" --self-test"; WorkingDir: "{userdocs}"
Name: "{group}\{cm:UninstallProgram,GenuScreen}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\GenuScreen"; Filename: "{app}\genuscreen-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\genuscreen-gui.exe"; Description: "{cm:LaunchProgram,GenuScreen}"; Flags: nowait postinstall skipifsilent
