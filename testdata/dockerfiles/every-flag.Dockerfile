# Every instruction and every flag the front end knows, in one multi-stage file.
ARG BASE_IMAGE=debian:bookworm-20240701-slim
ARG HTTP_PROXY

FROM --platform=linux/amd64 ${BASE_IMAGE} AS Builder
ARG DEBIAN_FRONTEND=noninteractive
ENV LANG C.UTF-8
LABEL maintainer="ops@example.com" version="1.0"
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    --network=default \
    apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311
RUN --security=sandbox --mount=type=secret,id=npmrc,target=/root/.npmrc echo built > /built
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d --chown=1000:1000 --chmod=0644 --link \
    https://example.com/releases/tool-1.2.3.tar.gz /opt/
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.14.0 /src/buildkit
ADD --exclude=*.md docs.tar.gz /usr/share/doc/app/

FROM scratch AS assets
COPY --parents --exclude=**/*.tmp static/ /static/

FROM Builder AS final
COPY --from=assets --link /static /srv/static
COPY --from=0 /built /built
COPY --from=busybox:1.36.1 /bin/busybox /bin/busybox
EXPOSE 80/tcp 443/tcp
VOLUME /var/log/app /var/cache/app
WORKDIR /srv
USER www-data:www-data
HEALTHCHECK NONE
STOPSIGNAL SIGQUIT
ONBUILD RUN echo "building on top of final"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENTRYPOINT ["/usr/sbin/nginx"]
CMD ["-g", "daemon off;"]
