#!/usr/bin/env bash
# Builds the archive of released model versions, www/v/<version>/ (git-ignored), so that a
# pinned link (`v=` in the page's URL, url-state.js) can open the model it was made with.
#
# The versions are listed in release/versions.txt: version, git commit, date. Each archived
# version is built from its own commit with today's toolchain: the commit's files are taken
# out with `git archive` into target/versions/src-<version>/ (no worktree is registered in the
# repository), its crate is compiled to wasm32 there, wrapped by the wasm-bindgen its
# Cargo.lock pins, optimised by this tree's wasm-opt when the result still loads, and its
# www/ (without v/) gets the package and its chart bundle (its own www/build.mjs, with this
# tree's node_modules). The result is checked the way build-web.sh checks the current one
# (the glue loads the module and runs a day in Node), kept in target/versions/<version>/ with
# the commit it came from, and copied to www/v/<version>/. A version already built from its
# commit is not built again: a second run only copies (well under a second).
#
# The line whose commit is "current" is this working tree: its version must be the one in
# Cargo.toml, and the current build (www/ without v/, after build-web.sh) is copied to
# www/v/<current>/ on every run.
#
# Cost: the first build of an archived version compiles its crate for wasm32 (about a minute
# on two cores) and runs wasm-opt (10-20 s); later runs take under a second.
# Run from anywhere: bash scripts/build-versions.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

say() { printf 'build-versions: %s\n' "$*"; }
fail() {
    say "error: $*" >&2
    exit 1
}

list=release/versions.txt
target=${CARGO_TARGET_DIR:-target}
[[ $target == /* ]] || target=$root/$target
cache=$target/versions
archive=www/v
wasm_opt=$root/node_modules/.bin/wasm-opt

[[ -f $list ]] || fail "$list is missing"
[[ -f www/pkg/consortium_sim.js ]] || fail "www/pkg is not built; run: bash scripts/build-web.sh"
crate_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)

# Replaces directory $2 by a copy of directory $1, leaving out its top-level v/.
copy_tree() {
    local from=$1 to=$2 item
    rm -rf "$to.new"
    mkdir -p "$to.new"
    for item in "$from"/* "$from"/.[!.]*; do
        [[ -e $item ]] || continue
        [[ $(basename "$item") == v ]] && continue
        cp -a "$item" "$to.new/"
    done
    rm -rf "$to"
    mv "$to.new" "$to"
}

# The wasm-bindgen matching the version `$1` a commit's Cargo.lock pins: the one on PATH when
# it is that version, else one installed for it under target/versions/tools/.
wasm_bindgen_for() {
    local want=$1 have tools
    have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }')
    if [[ $have == "$want" ]]; then
        command -v wasm-bindgen
        return
    fi
    tools=$cache/tools/wasm-bindgen-$want
    if [[ ! -x $tools/bin/wasm-bindgen ]]; then
        say "the commit pins wasm-bindgen $want (PATH has ${have:-none}): cargo install wasm-bindgen-cli --version $want" >&2
        if ! cargo install -q --locked wasm-bindgen-cli --version "$want" --root "$tools" >&2; then
            fail "wasm-bindgen $want is needed and could not be installed; install it with:
    cargo install --locked wasm-bindgen-cli --version $want --root $tools"
        fi
    fi
    echo "$tools/bin/wasm-bindgen"
}

# Whether the package in directory $1 loads in Node and runs a simulated day.
package_runs() {
    node scripts/package-runs.mjs "$1/consortium_sim.js" "$1/consortium_sim_bg.wasm"
}

# Builds version $1 from commit $2 into $cache/$1 (unless it is there, built from $2).
build_archived() {
    local version=$1 commit=$2 src=$cache/src-$1 done_dir=$cache/$1 stage=$cache/stage-$1
    local pinned bindgen wasm started
    if [[ -f $done_dir/.built-from && $(cat "$done_dir/.built-from") == "$commit" ]]; then
        return
    fi
    git cat-file -e "$commit^{commit}" 2>/dev/null || fail "commit $commit of version $version is not in this repository (a shallow clone? git fetch --unshallow)"
    started=$(date +%s)
    say "$version: building from commit ${commit:0:12} (the first time takes a minute or two)"
    if [[ ! -f $src/.from || $(cat "$src/.from") != "$commit" ]]; then
        rm -rf "$src"
        mkdir -p "$src"
        git archive "$commit" | tar -x -C "$src"
        echo "$commit" >"$src/.from"
    fi
    # The commit's www/build.mjs imports esbuild and echarts: this tree's node_modules.
    ln -sfn "$root/node_modules" "$src/node_modules"
    pinned=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$src/Cargo.lock")
    [[ -n $pinned ]] || fail "$version: no wasm-bindgen in the commit's Cargo.lock"
    bindgen=$(wasm_bindgen_for "$pinned")

    say "$version: cargo build --release --target wasm32-unknown-unknown --lib (its own .cargo/config.toml and Cargo.lock)"
    (cd "$src" && CARGO_TARGET_DIR="$src/target" cargo build -q --locked --release --target wasm32-unknown-unknown --lib)
    rm -rf "$stage"
    mkdir -p "$stage"
    "$bindgen" --target web --out-dir "$stage/pkg" "$src/target/wasm32-unknown-unknown/release/consortium_sim.wasm"
    wasm=$stage/pkg/consortium_sim_bg.wasm
    if [[ -x $wasm_opt ]] && "$wasm_opt" -O3 -g "$wasm" -o "$wasm.opt" 2>"$stage/wasm-opt.log"; then
        cp "$wasm" "$wasm.plain"
        mv "$wasm.opt" "$wasm"
        if ! package_runs "$stage/pkg" 2>>"$stage/wasm-opt.log"; then
            say "$version: warning: the optimised module does not load; keeping the unoptimised one ($stage/wasm-opt.log)"
            mv "$wasm.plain" "$wasm"
        fi
        rm -f "$wasm.plain"
    else
        say "$version: warning: wasm-opt unavailable or failed; the module is not optimised"
    fi
    rm -f "$wasm.opt" "$stage/wasm-opt.log"
    package_runs "$stage/pkg" || fail "$version: the package built from ${commit:0:12} does not load and run a day in Node"

    if [[ -f $src/www/build.mjs ]]; then
        (cd "$src" && node www/build.mjs >/dev/null)
    fi
    copy_tree "$src/www" "$stage/www"
    rm -rf "$stage/www/pkg"
    mv "$stage/pkg" "$stage/www/pkg"
    echo "$commit" >"$stage/www/.built-from"
    rm -rf "$done_dir"
    mv "$stage/www" "$done_dir"
    rm -rf "$stage"
    say "$version: built in $(($(date +%s) - started)) s"
}

mkdir -p "$cache" "$archive"
current_seen=""
# The versions the archive holds, for the page (pinned-version.js reads www/v/versions.json
# to offer "Open with model <v>" only when www/v/<v>/ exists).
listed=()
while read -r version commit date; do
    [[ -z $version || $version == \#* ]] && continue
    [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "$list: bad version '$version'"
    if [[ $commit == current ]]; then
        [[ $version == "$crate_version" ]] || fail "$list names $version as current, but Cargo.toml has $crate_version"
        current_seen=$version
        continue
    fi
    build_archived "$version" "$commit"
    if [[ ! -f $archive/$version/.built-from || $(cat "$archive/$version/.built-from") != "$commit" ]]; then
        copy_tree "$cache/$version" "$archive/$version"
    fi
    say "$version: $archive/$version/ (commit ${commit:0:12}, $date)"
    listed+=("{ \"version\": \"$version\", \"commit\": \"$commit\", \"date\": \"$date\" }")
done <"$list"

[[ -n $current_seen ]] || fail "$list has no line for the current version $crate_version (commit 'current')"
copy_tree www "$archive/$current_seen"
say "$current_seen: $archive/$current_seen/ (this working tree)"
listed+=("{ \"version\": \"$current_seen\", \"commit\": \"current\", \"date\": \"\" }")
{
    printf '{ "current": "%s", "versions": [\n' "$current_seen"
    for i in "${!listed[@]}"; do
        printf '  %s%s\n' "${listed[$i]}" "$([[ $i -lt $((${#listed[@]} - 1)) ]] && echo ,)"
    done
    printf '] }\n'
} >"$archive/versions.json"
