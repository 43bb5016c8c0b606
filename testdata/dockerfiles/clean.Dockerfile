# A small, tidy image: no finding expected.
FROM alpine:3.20.3@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d
RUN apk add --no-cache curl=8.9.1-r2 \
 && addgroup -S app && adduser -S -G app app
WORKDIR /app
COPY --chown=app:app bin/ /app/bin/
USER app
ENTRYPOINT ["/app/bin/run"]
