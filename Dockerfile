# syntax=docker/dockerfile:1
# Build with the Maven wrapper on a JDK 17, run on a JRE as a non-root user. The runtime is JDK 17
# by default; --build-arg RUNTIME_IMAGE=eclipse-temurin:25-jre runs on JDK 25 instead, whose AOT
# cache starts the server about 0.1-0.3 s sooner but whose sidecar uses about 20-33 MiB more RSS
# under load (bench/README.md, round 2, tenth pass). The launcher handles both; CdsArchiveTest
# runs it on both.
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -DskipTests package

FROM ${RUNTIME_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system tidegate && useradd --system --gid tidegate --home-dir /app tidegate \
    && mkdir -p /app /data && chown tidegate:tidegate /data
WORKDIR /app
COPY --from=build /src/target/tidegate.jar /app/tidegate.jar
# the launcher finds the jar one folder up: `tidegate report ...` in a shell in the container
COPY bin/tidegate /app/bin/tidegate
COPY policies/ /app/policies/
ENV PATH="/app/bin:${PATH}" \
    TIDEGATE_PORT=4142 \
    TIDEGATE_DATA_DIR=/data \
    TIDEGATE_POLICY=/app/policies/policy.yaml \
    TIDEGATE_LOG_FORMAT=json
# The archive of a real start (bin/tidegate cds-archive runs `tidegate warm-up` under
# -XX:ArchiveClassesAtExit, or -XX:AOTCacheOutput on JDK 25+): made here, with the very JVM that
# runs it, because an archive only maps into the JVM build that wrote it (the build stage's JDK
# is another build).
RUN /app/bin/tidegate cds-archive \
    && for f in /app/tidegate.jsa /app/tidegate.aot; do [ ! -f "$f" ] || chmod 444 "$f"; done
USER tidegate
VOLUME ["/data"]
EXPOSE 4142
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${TIDEGATE_PORT}/healthz" || exit 1
# The launcher adds the archive and the sidecar memory settings (serial GC, 128 MB heap, glibc's
# freed memory handed back every 5 s; see bench/README.md); JAVA_OPTS overrides any of them.
ENTRYPOINT ["/app/bin/tidegate"]
CMD ["serve"]
