# The odoo-mcp-bridge image, for Cloud Run: docker build -t odoo-mcp-bridge .
#
# The build stage installs every dependency (the bundler is a devDependency) and bundles
# dist/; the final stage is Node.js and the bundle alone, because dist/ needs no node_modules.
# test/deploy/image-stage.test.ts rebuilds the final stage's folder on the host from the COPY
# instructions below and starts it, so keep that test passing when changing this file.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# Distroless: Node.js 24 on Debian 12 with no shell or package manager, as the nonroot user.
# Its entrypoint is node, so CMD names only the script.
FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
# package.json gives dist/ its "type": "module" and the version the server logs.
COPY package.json ./
COPY --from=build /app/dist ./dist
# The nonroot user of distroless, by number, so that a runtime can check it is not root.
USER 65532:65532
# Cloud Run sets PORT (8080 unless configured otherwise); the server listens on PORT.
EXPOSE 8080
CMD ["dist/server.js"]
