# syntax=docker/dockerfile:1.7
# check=skip=JSONArgsRecommended
FROM alpine:3.20 AS base
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN apk add --update curl jq
RUN <<EOF
set -e
addgroup -S app
adduser -S -G app app
EOF
COPY <<-EOT /etc/motd
	Welcome to $HOSTNAME
	EOT
COPY <<'CONF' /etc/app.conf
level=${LOG_LEVEL}
CONF
ONBUILD COPY . /app
ONBUILD RUN /app/setup.sh

FROM base
RUN apk add --no-cache tini=0.19.0-r3
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --start-interval=1s --retries=3 \
  CMD wget -qO- http://localhost:8080/health || exit 1
STOPSIGNAL SIGTERM
VOLUME ["/data"]
EXPOSE 8080
USER app
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["/app/run"]
