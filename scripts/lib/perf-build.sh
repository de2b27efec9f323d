# Sourced by scripts/bench and scripts/echo-server: build the perf module's jar when it is missing or older
# than any source or POM. Maven finds a JDK 22+ itself (maven-toolchains-plugin).

PANAMAX_PERF_JAR=perf/target/benchmarks.jar

panamax_build_perf() {
    local newer=""
    if [[ -f $PANAMAX_PERF_JAR ]]; then
        newer=$(find pom.xml ./*/pom.xml ./*/src -newer "$PANAMAX_PERF_JAR" -print -quit)
    fi
    if [[ -f $PANAMAX_PERF_JAR && -z $newer ]]; then
        return 0
    fi
    if ! command -v mvn >/dev/null 2>&1; then
        echo "Maven (mvn) is needed to build the benchmark; see README.md, Requirements" >&2
        return 1
    fi
    echo "building perf (mvn -B -q -pl perf -am package -DskipTests) ..."
    mvn -B -q -pl perf -am package -DskipTests
}
