# Sourced by scripts/*: find a JDK 22+ without a hard-coded path.
# panamax_find_java prints the path of its `java`: $JAVA_HOME when that is 22+, else the newest 22+ under
# /usr/lib/jvm, /Library/Java/JavaVirtualMachines or ~/.sdkman/candidates/java. Returns 1 when there is none.

panamax_java_major() {  # $1 = a JDK home; prints its feature version (17, 25, ...) or nothing
    local release="$1/release" version=""
    if [[ -r $release ]]; then
        version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release")
    elif [[ -x $1/bin/java ]]; then
        version=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p')
    fi
    [[ $version == 1 ]] && version=8
    echo "$version"
}

panamax_find_java() {
    local min=22 best="" best_major=0 home major
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        major=$(panamax_java_major "$JAVA_HOME")
        if [[ -n $major && $major -ge $min ]]; then
            echo "$JAVA_HOME/bin/java"
            return 0
        fi
    fi
    for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
        [[ -x $home/bin/java && ! -L $home ]] || continue
        major=$(panamax_java_major "$home")
        if [[ -n $major && $major -ge $min && $major -gt $best_major ]]; then
            best=$home
            best_major=$major
        fi
    done
    if [[ -z $best ]]; then
        echo "no JDK $min+ found: set JAVA_HOME to one, or install one under /usr/lib/jvm" >&2
        return 1
    fi
    echo "$best/bin/java"
}
