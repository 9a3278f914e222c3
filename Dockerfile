# syntax=docker/dockerfile:1
# GenSafety Gateway image. Two variants from one file:
#   docker build -t gensafety/gateway:0.1.0 .                                  (CPU, chiseled, non-root)
#   docker build -t gensafety/gateway:0.1.0-gpu --build-arg VARIANT=gpu .      (CUDA 13 + cuDNN runtime)
# The build stage's RUN dotnet lines are also run outside Docker by tests/GenSafety.Deployment.Tests
# (DockerfilePublishTests), which then starts the published gateway and asks /healthz.

ARG VARIANT=cpu

# ---- build ------------------------------------------------------------------------------------------
# The SDK named in global.json, pinned.
FROM mcr.microsoft.com/dotnet/sdk:10.0.100-noble AS build
WORKDIR /src
# Restore first, from the project files alone, so that source edits reuse the restored layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY gateway/src/GenSafety.Gateway/GenSafety.Gateway.csproj gateway/src/GenSafety.Gateway/
COPY gateway/src/GenSafety.ReferenceModel/GenSafety.ReferenceModel.csproj gateway/src/GenSafety.ReferenceModel/
COPY detectors/src/GenSafety.Detectors/GenSafety.Detectors.csproj detectors/src/GenSafety.Detectors/
COPY watermarking/src/GenSafety.Watermarking/GenSafety.Watermarking.csproj watermarking/src/GenSafety.Watermarking/
RUN dotnet restore gateway/src/GenSafety.Gateway/GenSafety.Gateway.csproj -r linux-x64
COPY . .
RUN dotnet publish gateway/src/GenSafety.Gateway/GenSafety.Gateway.csproj -c Release -r linux-x64 --self-contained false --no-restore -p:UseAppHost=false -o /app/publish

# ---- CPU runtime: chiseled (no shell, no package manager), ICU and tzdata included -------------------
# ONNX Runtime and SkiaSharp need only libc, libgcc and libstdc++, which the chiseled image carries for .NET itself.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra AS runtime-cpu
WORKDIR /app
COPY --from=build /app/publish .
USER 1654
EXPOSE 8080 9090
ENTRYPOINT ["dotnet", "GenSafety.Gateway.dll"]

# ---- GPU runtime: CUDA 13 with cuDNN (ONNX Runtime's CUDA execution provider), ASP.NET Core copied in --
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS aspnet
FROM nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04 AS runtime-gpu
ENV DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_RUNNING_IN_CONTAINER=true
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libicu74 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && (getent passwd 1654 || useradd --uid 1654 --user-group --no-create-home --shell /usr/sbin/nologin app)
COPY --from=aspnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
WORKDIR /app
COPY --from=build /app/publish .
USER 1654
EXPOSE 8080 9090
ENTRYPOINT ["dotnet", "GenSafety.Gateway.dll"]

# ---- the variant chosen by VARIANT (cpu or gpu) ------------------------------------------------------
# hadolint ignore=DL3006
FROM runtime-${VARIANT} AS final
