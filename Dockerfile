# Reference server image, built without any registry: `node scripts/build-image.mjs server`.
# The build context is NOT the repo root: the script assembles one in /tmp whose rootfs/ holds the host's
# node binary with the shared libraries ldd lists, and /app with the sources and node_modules.
FROM scratch
COPY rootfs/ /
WORKDIR /app
ENV NODE_ENV=production \
    ICHIREN_SERVER_HOST=127.0.0.1 \
    ICHIREN_SERVER_PORT=0
USER 65534:65534
# Configured by environment variables (server/config.ts SERVER_ENV_VARS): DATABASE_URL, HERSYS_URL, …
ENTRYPOINT ["/usr/local/bin/node", "bin/ichiren.js", "server"]
