# escape=`

# Windows-style Dockerfile: backtick continues lines, backslash is a path.
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
WORKDIR C:\app
COPY app\ C:\app\
RUN New-Item -ItemType Directory -Path C:\data ; `
    Set-Content -Path C:\data\ready.txt -Value ok
USER ContainerUser
ENTRYPOINT ["C:\\app\\app.exe"]
