# syntax=docker/dockerfile:1
# One image for both processes: `ack-migrate bot` and `ack-migrate worker` (see docker-compose.yml).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY jobs ./jobs
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Scenario YAML for `ack-migrate sandbox` / `dev` inside the image (tsc copies only code).
COPY src/sandbox/scenarios ./dist/src/sandbox/scenarios
COPY bin ./bin
USER node
EXPOSE 3000
ENTRYPOINT ["node", "bin/ack-migrate.js"]
CMD ["bot"]
