# Build the Windows bundle and its installer (PowerShell, from anywhere):
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
# Needs Python 3.11 (the py launcher) and Inno Setup 6. Makes .venv when missing, builds
# dist\genuscreen\ (genuscreen.exe, genuscreen-gui.exe, _internal\), runs its self-test and
# compiles dist\genuscreen-<version>-windows-x64-setup.exe. See installer\README.md.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path .venv\Scripts\python.exe)) { py -3.11 -m venv .venv }
$python = ".venv\Scripts\python.exe"
# PyPI's Windows torch wheels are the CPU build; see installer\README.md for a CUDA bundle.
& $python -m pip install -q -r requirements.txt -r requirements-dist.txt
if ($LASTEXITCODE) { throw "pip failed" }
& $python -m pip install -q --no-deps -e .
if ($LASTEXITCODE) { throw "pip failed" }

foreach ($ts in Get-ChildItem resources\i18n\*.ts) {
    & .venv\Scripts\pyside6-lrelease.exe -silent $ts.FullName -qm ($ts.FullName -replace '\.ts$', '.qm')
    if ($LASTEXITCODE) { throw "lrelease failed on $($ts.Name)" }
}

& .venv\Scripts\pyinstaller.exe installer\genuscreen.spec --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller
if ($LASTEXITCODE) { throw "PyInstaller failed" }

# The console executable answers; the windowed one has no console to print to.
Push-Location $env:TEMP
& (Join-Path $PSScriptRoot "..\..\dist\genuscreen\genuscreen.exe") --self-test
$selfTest = $LASTEXITCODE
Pop-Location
if ($selfTest) { throw "the bundle's self-test failed" }

$version = & $python -c "import genuscreen; print(genuscreen.__version__)"
$iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
& $iscc "/DAppVersion=$version" installer\windows\genuscreen.iss
if ($LASTEXITCODE) { throw "Inno Setup failed" }
Get-ChildItem dist\genuscreen-*-setup.exe | ForEach-Object { "{0}  {1:N0} MB" -f $_.Name, ($_.Length / 1MB) }
