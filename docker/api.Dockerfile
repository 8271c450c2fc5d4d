# The API process, which also serves the built storefront at "/" (one port for the whole product).
# Not exercised by CI (no Docker engine on the build machines): keep it in step with `npm start`.

FROM node:24-bookworm-slim AS build
WORKDIR /src
ENV NX_DAEMON=false NX_NO_CLOUD=true
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/storefront/package.json apps/storefront/
COPY libs/domain/package.json libs/domain/
COPY libs/contracts/package.json libs/contracts/
COPY e2e/package.json e2e/
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npx nx run api:prune-lockfile

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY --from=build /src/dist/apps/api/package.json ./package.json
COPY --from=build /src/dist/apps/api/package-lock.json ./package-lock.json
RUN npm install --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
# ffmpeg: a host's browser camera is re-wrapped into RTMP for MediaMTX (apps/api/src/media/browser-ingest.ts).
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000 STOREFRONT_DIR=/app/storefront UPLOADS_DIR=/data/uploads
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist/apps/api ./
COPY --from=build /src/dist/apps/storefront ./storefront
# The storefront's server build (home, product and live room pages rendered first; web-delivery.ts).
COPY --from=build /src/dist/apps/storefront-server ./storefront-server
RUN mkdir -p /data/uploads && chown -R node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "main.js"]
