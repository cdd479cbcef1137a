// Copies what the framework jar carries into target/classes: the host script, v86's libv86.mjs,
// v86.wasm and license, and host.properties with the sha256 of each file, so that the JVM can
// unpack them into its cache once and verify them before every use.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const base = resolve(process.argv[2] ?? ".");
const outDir = join(base, "target", "classes", "dev", "v86unit", "nodehost");
const v86 = join(base, "node_modules", "v86");
const v86Version = JSON.parse(readFileSync(join(v86, "package.json"), "utf8")).version.split("+")[0];
const files = {
    "host.mjs": join(base, "src", "host.mjs"),
    "streams.mjs": join(base, "src", "streams.mjs"),
    "network.mjs": join(base, "src", "network.mjs"),
    "libv86.mjs": join(v86, "build", "libv86.mjs"),
    "v86.wasm": join(v86, "build", "v86.wasm"),
    "LICENSE.v86": join(v86, "LICENSE"),
};
mkdirSync(outDir, { recursive: true });
const lines = [`v86.version=${v86Version}`, `files=${Object.keys(files).join(",")}`];
for (const [name, source] of Object.entries(files)) {
    const bytes = readFileSync(source);
    copyFileSync(source, join(outDir, name));
    lines.push(`sha256.${name}=${createHash("sha256").update(bytes).digest("hex")}`);
}
writeFileSync(join(outDir, "host.properties"), lines.join("\n") + "\n");
console.log(`packaged the node host with v86 ${v86Version} into ${outDir}`);
