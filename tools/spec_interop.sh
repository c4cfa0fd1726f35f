#!/usr/bin/env bash
# Prove the contract is shareable: generate TypeScript types from the spec with openapi-typescript and type-check a
# small program that uses them (including @ts-expect-error lines that must fail: a misspelt jPEGCompressionLevel,
# an unknown part). Needs node/npm (not part of `make test`). Usage: tools/spec_interop.sh openapi/laserfiche-repository-v2.yaml
set -euo pipefail
spec=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.spec-interop"
command -v npm >/dev/null || { echo "spec-interop: npm not found; install Node.js to run this check" >&2; exit 2; }
mkdir -p "$work"
cd "$work"
cat > package.json <<'JSON'
{ "private": true, "name": "lf-spec-interop",
  "devDependencies": { "openapi-typescript": "7.13.0", "typescript": "5.9.3" } }
JSON
npm install --silent --no-audit --no-fund >/dev/null
npx --no-install openapi-typescript "$spec" --default-non-nullable false --output laserfiche-repository-v2.d.ts >/dev/null
cat > check.ts <<'TS'
import type { components, operations, paths } from "./laserfiche-repository-v2";

type Body = components["schemas"]["ExportEntryRequest"];
type Task = components["schemas"]["TaskProgress"];

const body: Body = {
  part: "Image",
  imageOptions: { format: "PDF", jPEGCompressionLevel: 70, watermark: { text: "CONFIDENTIAL", rotationAngle: 45 } },
};
// @ts-expect-error the guide's spelling is not the wire's
const wrong: Body = { part: "Image", imageOptions: { jpegCompressionLevel: 70 } };
// @ts-expect-error parts are an enum
const badPart: Body = { part: "Images" };

function isFinal(task: Task): boolean {
  return task.status === "Completed" || task.status === "Failed" || task.status === "Cancelled";
}
type ListTasksQuery = operations["ListTasks"]["parameters"]["query"];
const query: ListTasksQuery = { taskIds: ["98b07b1d-2a0f-4f7e-843d-28335a7ddfa2"] };
type ExportPath = paths["/v2/Repositories/{repositoryId}/Entries/{entryId}/ExportAsync"];
type Started = ExportPath["post"]["responses"][202]["content"]["application/json"];
const started: Started = { taskId: "98b07b1d-2a0f-4f7e-843d-28335a7ddfa2" };
type Problem = components["schemas"]["ProblemDetails"];
const problem: Problem = { status: 429, title: "Too many requests." };
export const used = [body, wrong, badPart, isFinal, query, started, problem];
TS
npx --no-install tsc --noEmit --strict --target es2020 --moduleResolution node check.ts
echo "spec-interop: TypeScript types generated from $(basename "$spec") type-check ($work/laserfiche-repository-v2.d.ts)"
