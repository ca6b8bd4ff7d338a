# syntax=docker/dockerfile:1
# BankDesk server image: one image for every process; the command picks the services
# (`start --services web,realtime` or `start --services worker`). See docker-compose.yml
# and the README's "Production" section.

# --- build: the browser bundles (widget, console, demo page) and the server compiled to JavaScript
# (dist/node: the processes run without tsx's loader) need the dev dependencies (esbuild).
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# npm 11 may leave msgpackr-extract's per-platform optional packages out of the lock
# file, and `npm ci` then refuses it; `npm install` installs the same locked versions.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
# The wire contract (types and socket event names) that the widget, the console and the server share.
COPY shared ./shared
COPY server ./server
COPY widget ./widget
COPY console ./console
RUN npm run build

# --- deps: production dependencies only (tsx, a dependency, runs the sources if dist/node is not theirs).
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund

# --- runtime
FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    KNOWLEDGE_DIR=/app/knowledge \
    PROMPTS_DIR=/app/prompts \
    KNOWLEDGE_WATCH=false
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json .npmrc ./
COPY shared ./shared
COPY server ./server
COPY knowledge ./knowledge
COPY prompts ./prompts
COPY templates ./templates
# dist/node runs only while it matches the sources beside it (server/cli/compiledServer.mjs): both come from this context.
COPY --from=build /app/dist ./dist
# DATA_DIR holds attachments: mount a volume shared by every web node there.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Ready = the process answers and reaches PostgreSQL and Redis. Worker-only containers
# serve no HTTP: docker-compose.yml disables this check for them.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "server/cli/bin.mjs"]
CMD ["start", "--services", "web,realtime"]
