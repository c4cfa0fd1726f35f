// Types from openapi-typescript, checked by tsc (the @ts-expect-error lines must fail to compile):
//   npx openapi-typescript laserfiche-repository-v2.yaml --default-non-nullable false -o gen/openapi-typescript.d.ts
// Without `--default-non-nullable false`, every request member with a `default` would be required.
import type { components, operations, paths } from "./gen/openapi-typescript";

type Body = components["schemas"]["ExportEntryRequest"];
type Task = components["schemas"]["TaskProgress"];

const body: Body = {
  part: "Image",
  imageOptions: { format: "PDF", watermark: { text: "CONFIDENTIAL", rotationAngle: 45 } }, // defaults left out
};
// @ts-expect-error the guide's spelling is not the wire's
const wrong: Body = { part: "Image", imageOptions: { jpegCompressionLevel: 70 } };
// @ts-expect-error parts are a closed enum
const badPart: Body = { part: "Images" };

// An open enum accepts a value a newer server may send.
const newer: Task = { id: "98b07b1d-2a0f-4f7e-843d-28335a7ddfa2", status: "Paused", taskType: "ImportSomething" };
const isFinal = (task: Task) => ["Completed", "Failed", "Cancelled"].includes(task.status);

type ListTasksQuery = operations["ListTasks"]["parameters"]["query"];
const query: ListTasksQuery = { taskIds: ["98b07b1d-2a0f-4f7e-843d-28335a7ddfa2"] };
type ExportPath = paths["/v2/Repositories/{repositoryId}/Entries/{entryId}/ExportAsync"];
type Started = ExportPath["post"]["responses"][202]["content"]["application/json"];
const started: Started = { taskId: "98b07b1d-2a0f-4f7e-843d-28335a7ddfa2" };
type Problem = components["schemas"]["ProblemDetails"];
const problem: Problem = { status: 429, title: "Too many requests." };
export const used = [body, wrong, badPart, newer, isFinal, query, started, problem];
