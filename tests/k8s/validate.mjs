// Validates topoplan's Kubernetes exports the way a cluster would take them:
//   - custom resources against the OpenAPI schemas of the CRDs of the releases given (CRD_DIRS,
//     ':'-separated: an object whose group/version/kind none of them serves fails), plus the
//     rules those CRDs state as CEL and the operators' own admission checks;
//   - core objects (Node, PodTemplate, Job, ConfigMap) with kubernetes-models and the API
//     server's required-field rules (pkg/apis/core/validation, pkg/apis/batch/validation) that
//     OpenAPI does not state: containers with a name and an image, a Job's restart policy, no
//     hand-written selector, Indexed names that fit a DNS label, no namespace on a Node;
//   - what ties the objects of one file together: a workload's topology request names a level of
//     the Topology in the file, a pod names the PodGroup in the file and its scheduler, a Volcano
//     Job's tier exists among the HyperNodes, Kueue's slice rules.
// Prints one line per object; exit 1 on any failure. Groups separated by "--" are validated
// each against its own CRDs, in one process (one start instead of many).
//
// usage: node validate.mjs CRD_DIR[:CRD_DIR...] FILE... [-- CRD_DIR[:CRD_DIR...] FILE...]...
import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import Ajv from "ajv";
import { Node } from "kubernetes-models/v1/Node";
import { PodTemplate } from "kubernetes-models/v1/PodTemplate";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Job } from "kubernetes-models/batch/v1/Job";

const groups = [[]];
for (const arg of process.argv.slice(2)) {
  if (arg === "--") groups.push([]);
  else groups[groups.length - 1].push(arg);
}
if (groups.some((g) => g.length < 2)) {
  console.error("usage: node validate.mjs CRD_DIR[:CRD_DIR...] FILE... [-- CRD_DIR[:CRD_DIR...] FILE...]...");
  process.exit(2);
}

// apimachinery's rules (k8s.io/apimachinery/pkg/util/validation).
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function keyErrors(key, where) {
  const errors = [];
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? "" : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix && (prefix.length > 253 || !dns1123Subdomain.test(prefix)))
    errors.push(`${where}: key prefix '${prefix}' is not a DNS subdomain`);
  if (name.length > 63 || !qualifiedName.test(name))
    errors.push(`${where}: key name '${name}' is not a qualified name`);
  return errors;
}

function checkLabels(labels, errors, where) {
  for (const [key, value] of Object.entries(labels ?? {})) {
    errors.push(...keyErrors(key, `${where} label ${key}`));
    if (typeof value !== "string" || value.length > 63 || !labelValue.test(value))
      errors.push(`${where} label ${key}: value '${value}' is not a label value`);
  }
}

function checkMetadata(meta, errors, where) {
  const name = meta?.name ?? "";
  if (name.length > 253 || !dns1123Subdomain.test(name))
    errors.push(`${where}.name '${name}' is not a DNS-1123 subdomain`);
  checkLabels(meta?.labels, errors, where);
  for (const key of Object.keys(meta?.annotations ?? {}))
    errors.push(...keyErrors(key, `${where} annotation`));
}

// ValidatePodTemplateSpec / ValidatePodSpec: what a pod template needs before any pod exists.
function checkPodTemplate(template, errors, where, restartPolicies = ["Always", "OnFailure", "Never"]) {
  if (!template?.spec) {
    errors.push(`${where}.spec: Required value`);
    return;
  }
  checkLabels(template.metadata?.labels, errors, `${where}.metadata`);
  for (const key of Object.keys(template.metadata?.annotations ?? {}))
    errors.push(...keyErrors(key, `${where}.metadata annotation`));
  const spec = template.spec;
  const containers = spec.containers ?? [];
  if (containers.length === 0) errors.push(`${where}.spec.containers: Required value`);
  const names = new Set();
  for (const [i, c] of containers.entries()) {
    if (!c.name || !dns1123Label.test(c.name)) errors.push(`${where}.spec.containers[${i}].name: Required, a DNS-1123 label`);
    if (names.has(c.name)) errors.push(`${where}.spec.containers[${i}].name: Duplicate value`);
    names.add(c.name);
    if (!c.image || c.image.trim() !== c.image) errors.push(`${where}.spec.containers[${i}].image: Required value`);
  }
  if (spec.restartPolicy !== undefined && !restartPolicies.includes(spec.restartPolicy))
    errors.push(`${where}.spec.restartPolicy: '${spec.restartPolicy}', supported values: ${restartPolicies.join(", ")}`);
  if (spec.schedulerName !== undefined && !dns1123Subdomain.test(spec.schedulerName))
    errors.push(`${where}.spec.schedulerName: not a DNS subdomain`);
  for (const [i, term] of (spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).entries()) {
    if (!term.topologyKey) errors.push(`${where} podAntiAffinity[${i}].topologyKey: Required value`);
    else errors.push(...keyErrors(term.topologyKey, `${where} podAntiAffinity[${i}].topologyKey`));
    checkLabels(term.labelSelector?.matchLabels, errors, `${where} podAntiAffinity[${i}].labelSelector`);
  }
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms !== undefined && terms.length === 0) errors.push(`${where} nodeSelectorTerms: Required value`);
  for (const term of terms ?? []) {
    for (const e of term.matchExpressions ?? []) {
      if (!["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"].includes(e.operator))
        errors.push(`${where} matchExpressions: operator '${e.operator}'`);
      if ((e.operator === "In" || e.operator === "NotIn") && !(e.values?.length > 0))
        errors.push(`${where} matchExpressions: values required for ${e.operator}`);
    }
  }
}

// CRD schemas by "group/version Kind", from every directory given (each set of directories
// once, in an Ajv of its own: releases serve the same group/version with different schemas).
const compiled = new Map();
function schemasOf(crdDirs) {
  if (compiled.has(crdDirs)) return compiled.get(crdDirs);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const schemas = new Map();
  for (const dir of crdDirs.split(":")) {
    // Built-in APIs (ResourceClaim): OpenAPI component schemas extracted from Kubernetes'
    // api/openapi-spec. The API server rejects unknown fields (kubectl's strict field validation):
    // every object schema here is closed; the schemas left out of the extract (ObjectMeta) are open.
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith("-schemas.json"))) {
      const extract = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")).schemas;
      const refs = JSON.stringify(extract).matchAll(/"#\/components\/schemas\/([^"]+)"/g);
      for (const [, name] of refs) extract[name] ??= { type: "object" };
      for (const schema of Object.values(extract))
        if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
      const id = `k8s-openapi-${file}`;
      ajv.addSchema({ $id: id, components: { schemas: extract } });
      for (const [name, schema] of Object.entries(extract)) {
        const gvk = schema["x-kubernetes-group-version-kind"]?.[0];
        if (!gvk) continue;
        schemas.set(`${gvk.group}/${gvk.version} ${gvk.kind}`,
                    ajv.compile({ $ref: `${id}#/components/schemas/${name}` }));
      }
    }
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
      const crd = yaml.load(fs.readFileSync(path.join(dir, file), "utf8"));
      for (const version of crd.spec.versions) {
        if (version.served === false) continue;
        schemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`,
                    ajv.compile(version.schema.openAPIV3Schema));
      }
    }
  }
  compiled.set(crdDirs, { ajv, schemas });
  return compiled.get(crdDirs);
}

function levelRules(object, errors) {
  const labels = object.spec.levels.map((l) => l.nodeLabel);
  if (new Set(labels).size !== labels.length) errors.push("Topology levels: must be unique");
  const host = labels.indexOf("kubernetes.io/hostname");
  if (host >= 0 && host !== labels.length - 1)
    errors.push("Topology levels: kubernetes.io/hostname only at the lowest level");
}

// Everything in one file, for the rules that tie objects together.
function fileIndex(documents) {
  const index = { kueueTopologies: new Map(), kaiTopologies: new Map(), podGroups: new Set(), hyperNodes: new Map(), discoveryTiers: 0 };
  for (const o of documents) {
    const name = o.metadata?.name;
    if (o.kind === "Topology" && o.apiVersion.startsWith("kueue.x-k8s.io/")) index.kueueTopologies.set(name, o.spec.levels.map((l) => l.nodeLabel));
    if (o.kind === "Topology" && o.apiVersion.startsWith("kai.scheduler/")) index.kaiTopologies.set(name, o.spec.levels.map((l) => l.nodeLabel));
    if (o.kind === "PodGroup") index.podGroups.add(name);
    if (o.kind === "HyperNode") index.hyperNodes.set(name, o.spec.tier);
    if (o.kind === "ConfigMap" && o.data?.["volcano-controller.conf"]) {
      const conf = yaml.load(o.data["volcano-controller.conf"]);
      for (const d of conf.networkTopologyDiscovery ?? [])
        for (const labels of Object.values(d.config?.networkTopologyTypes ?? {}))
          index.discoveryTiers = Math.max(index.discoveryTiers, labels.length - 1);
    }
  }
  return index;
}

// Kueue's TAS annotation rules (jobframework/tas_validation.go) and what its scheduler needs:
// the requested level exists in a Topology, slices divide the pod set.
function kueueAnnotationRules(annotations, count, index, errors, where) {
  const a = annotations ?? {};
  const kinds = ["required", "preferred", "unconstrained"].filter((k) => a[`kueue.x-k8s.io/podset-${k}-topology`] !== undefined);
  if (kinds.length > 1) errors.push(`${where}: must not contain more than one topology annotation`);
  const levels = new Set([...index.kueueTopologies.values()].flat());
  for (const k of ["required", "preferred", "slice-required"]) {
    const value = a[`kueue.x-k8s.io/podset-${k}-topology`];
    if (value === undefined) continue;
    errors.push(...keyErrors(value, `${where} podset-${k}-topology`));
    if (index.kueueTopologies.size > 0 && !levels.has(value))
      errors.push(`${where} podset-${k}-topology '${value}': not a level of the Topology, Kueue cannot place it`);
  }
  const slice = a["kueue.x-k8s.io/podset-slice-size"];
  const sliceLevel = a["kueue.x-k8s.io/podset-slice-required-topology"];
  if ((slice === undefined) !== (sliceLevel === undefined))
    errors.push(`${where}: podset-slice-size and podset-slice-required-topology go together`);
  if (slice !== undefined) {
    const size = Number(slice);
    if (!Number.isInteger(size) || size < 1) errors.push(`${where} podset-slice-size '${slice}': expected an integer >= 1`);
    else if (size > count) errors.push(`${where} podset-slice-size ${size}: must not be greater than pod set count ${count}`);
    else if (count % size !== 0) errors.push(`${where} podset-slice-size ${size} does not divide the ${count} pods`);
  }
}

const crRules = {
  Topology(object, errors) {
    levelRules(object, errors);
  },
  // pkg/apis/resource/validation: what the API server checks beyond the schema.
  ResourceClaim(object, errors) {
    const requests = object.spec?.devices?.requests ?? [];
    if (requests.length > 32) errors.push("ResourceClaim: more than 32 requests");
    const names = new Set();
    for (const [i, r] of requests.entries()) {
      const where = `ResourceClaim requests[${i}]`;
      if (!dns1123Label.test(r.name ?? "")) errors.push(`${where}.name: not a DNS label`);
      if (names.has(r.name)) errors.push(`${where}.name: duplicate`);
      names.add(r.name);
      if ((r.exactly === undefined) === (r.firstAvailable === undefined))
        errors.push(`${where}: exactly one of exactly and firstAvailable`);
      const e = r.exactly;
      if (!e) continue;
      if (!dns1123Subdomain.test(e.deviceClassName ?? "")) errors.push(`${where}.exactly.deviceClassName: required, a DNS subdomain`);
      const mode = e.allocationMode ?? "ExactCount";
      if (!["ExactCount", "All"].includes(mode)) errors.push(`${where}.exactly.allocationMode: '${mode}'`);
      if (mode === "ExactCount" && !(e.count === undefined || (Number.isInteger(e.count) && e.count > 0)))
        errors.push(`${where}.exactly.count: must be greater than zero`);
      if (mode === "All" && e.count !== undefined) errors.push(`${where}.exactly.count: must not be set with All`);
      if ((e.selectors ?? []).length > 32) errors.push(`${where}.exactly.selectors: more than 32`);
      for (const [k, sel] of (e.selectors ?? []).entries())
        if (!sel.cel?.expression || sel.cel.expression.length > 10 * 1024)
          errors.push(`${where}.exactly.selectors[${k}].cel.expression: required, at most 10Ki`);
    }
  },
  ResourceFlavor(object, errors, index) {
    if (object.spec.topologyName && Object.keys(object.spec.nodeLabels ?? {}).length < 1)
      errors.push("ResourceFlavor: at least one nodeLabel is required when topology is set");
    if (object.spec.topologyName && !index.kueueTopologies.has(object.spec.topologyName))
      errors.push(`ResourceFlavor: topologyName '${object.spec.topologyName}' names no Topology in the file`);
  },
  HyperNode(object, errors, index) {
    for (const m of object.spec.members) {
      const kinds = ["exactMatch", "regexMatch", "labelMatch"].filter((k) => m.selector?.[k]);
      if (kinds.length !== 1) errors.push("HyperNode member: exactly one selector kind");
      if (m.type === "HyperNode") {
        const tier = index.hyperNodes.get(m.selector?.exactMatch?.name);
        if (tier === undefined) errors.push(`HyperNode member '${m.selector?.exactMatch?.name}' is not in the file`);
        else if (tier >= object.spec.tier) errors.push(`HyperNode member tier ${tier} not below ${object.spec.tier}`);
      }
    }
  },
  // Volcano's job admission (admit_job.go) and what ties its pods to the gang.
  Job(object, errors, index) {
    if (!object.apiVersion.startsWith("batch.volcano.sh/")) return;
    const spec = object.spec;
    if (spec.schedulerName !== "volcano") errors.push(`Volcano Job: schedulerName '${spec.schedulerName}', expected volcano`);
    const replicas = spec.tasks.reduce((n, t) => n + (t.replicas ?? 0), 0);
    if (spec.minAvailable > replicas) errors.push(`Volcano Job: minAvailable ${spec.minAvailable} above ${replicas} replicas`);
    const nt = spec.networkTopology;
    if (nt?.highestTierAllowed !== undefined && nt?.highestTierName !== undefined)
      errors.push("Volcano Job: must not specify 'highestTierAllowed' and 'highestTierName' simultaneously");
    const tiers = Math.max(index.discoveryTiers, ...index.hyperNodes.values());
    if (nt?.highestTierAllowed !== undefined && nt.highestTierAllowed > tiers)
      errors.push(`Volcano Job: highestTierAllowed ${nt.highestTierAllowed}, the file's HyperNodes stop at tier ${tiers}`);
    for (const [i, task] of spec.tasks.entries()) checkPodTemplate(task.template, errors, `tasks[${i}].template`);
    // The job plugins Volcano has (pkg/controllers/job/plugins), and the mpi plugin's master task.
    const known = ["env", "ssh", "svc", "mpi", "pytorch", "tensorflow", "ray", "hcclrank"];
    for (const name of Object.keys(spec.plugins ?? {}))
      if (!known.includes(name)) errors.push(`Volcano Job: unable to find job plugin: ${name}`);
    if (spec.plugins?.mpi) {
      const arg = (flag, fallback) => (spec.plugins.mpi.find((a) => a.startsWith(`--${flag}=`)) ?? `=${fallback}`).split("=")[1];
      if (!spec.tasks.some((t) => t.name === arg("master", "master")))
        errors.push("Volcano Job: the specified mpi master task was not found");
    }
  },
  // mpi-operator's validation (pkg/apis/kubeflow/validation) and KAI's top-owner annotations.
  MPIJob(object, errors, index) {
    const specs = object.spec.mpiReplicaSpecs ?? {};
    if (specs.Launcher?.replicas !== 1) errors.push("MPIJob: Launcher replicas must be 1");
    if (specs.Worker && !(specs.Worker.replicas >= 1)) errors.push("MPIJob: Worker replicas must be >= 1");
    const workers = specs.Worker?.replicas ?? 0;
    if (!dns1035Label.test(`${object.metadata.name}-worker-${workers - 1}`) || `${object.metadata.name}-worker-${workers - 1}`.length > 63)
      errors.push("MPIJob: worker pod names are not DNS-1035 labels");
    for (const [role, replica] of Object.entries(specs)) {
      if (!["Never", "OnFailure", undefined].includes(replica.restartPolicy)) errors.push(`MPIJob ${role}: restartPolicy`);
      checkPodTemplate(replica.template, errors, `${role}.template`);
    }
    const a = object.metadata.annotations ?? {};
    if (a["kai.scheduler/topology"] !== undefined) {
      const levels = index.kaiTopologies.get(a["kai.scheduler/topology"]);
      if (!levels) errors.push(`kai.scheduler/topology '${a["kai.scheduler/topology"]}' names no KAI Topology in the file`);
      for (const k of ["topology-required-placement", "topology-preferred-placement", "segment-topology-required-placement"]) {
        const v = a[`kai.scheduler/${k}`];
        if (v !== undefined && levels && !levels.includes(v)) errors.push(`kai.scheduler/${k} '${v}' is not a level of the Topology`);
      }
      for (const [role, replica] of Object.entries(specs))
        if (replica.template?.spec?.schedulerName !== "kai-scheduler") errors.push(`MPIJob ${role}: schedulerName must be kai-scheduler`);
      if (!object.metadata.labels?.["kai.scheduler/queue"]) errors.push("MPIJob: no kai.scheduler/queue label");
    }
  },
};

// Core objects: the API server's rules beyond OpenAPI.
const coreRules = {
  "v1 Node": [Node, (object, errors) => {
    if (object.metadata?.namespace !== undefined) errors.push("Node: cluster-scoped, no metadata.namespace");
    for (const key of Object.keys(object)) if (!["apiVersion", "kind", "metadata"].includes(key)) errors.push(`Node: a label patch carries no ${key}`);
  }],
  "v1 PodTemplate": [PodTemplate, (object, errors) => checkPodTemplate(object.template, errors, "template")],
  "v1 ConfigMap": [ConfigMap, (object, errors) => {
    const text = object.data?.["volcano-controller.conf"];
    if (text === undefined) return;
    const conf = yaml.load(text);
    for (const d of conf.networkTopologyDiscovery ?? []) {
      if (d.source !== "label") continue;
      for (const [type, labels] of Object.entries(d.config?.networkTopologyTypes ?? {})) {
        if (type.length > 20) errors.push(`networkTopologyTypes '${type}': at most 20 characters`);
        const keys = labels.map((l) => l.nodeLabel);
        if (new Set(keys).size !== keys.length) errors.push(`networkTopologyTypes '${type}': duplicate labels`);
        if (keys[keys.length - 1] !== "kubernetes.io/hostname") errors.push(`networkTopologyTypes '${type}': the last label must be kubernetes.io/hostname`);
      }
    }
  }],
  // ValidateJob: selector generated, Indexed needs completions and pod names within a DNS label,
  // restartPolicy OnFailure or Never; Kueue's and coscheduling's ties on top.
  "batch/v1 Job": [Job, (object, errors, index) => {
    const spec = object.spec ?? {};
    if (spec.selector !== undefined && spec.manualSelector !== true)
      errors.push("Job spec.selector: `selector` not auto-generated (omit it)");
    for (const f of ["parallelism", "completions", "backoffLimit"])
      if (spec[f] !== undefined && !(Number.isInteger(spec[f]) && spec[f] >= 0)) errors.push(`Job spec.${f}: must be >= 0`);
    if (spec.completionMode === "Indexed") {
      if (spec.completions === undefined) errors.push("Job spec.completions: Required value when completion mode is Indexed");
      const last = `${object.metadata.name}-${spec.completions - 1}`;
      if (last.length > 63 || !dns1123Label.test(last)) errors.push(`Job: pod hostname '${last}' is not a DNS-1123 label`);
    }
    checkPodTemplate(spec.template, errors, "spec.template", ["OnFailure", "Never"]);
    const count = Math.min(spec.parallelism ?? 1, spec.completions ?? spec.parallelism ?? 1);
    const annotations = spec.template?.metadata?.annotations;
    const kueue = Object.keys(annotations ?? {}).some((k) => k.startsWith("kueue.x-k8s.io/"));
    if (kueue) {
      if (!object.metadata.labels?.["kueue.x-k8s.io/queue-name"]) errors.push("Job: Kueue annotations without a kueue.x-k8s.io/queue-name label");
      kueueAnnotationRules(annotations, count, index, errors, "Job pod template");
    }
    const group = spec.template?.metadata?.labels?.["scheduling.x-k8s.io/pod-group"];
    if (group !== undefined) {
      if (!index.podGroups.has(group)) errors.push(`Job: pod-group '${group}' names no PodGroup in the file`);
      if (!spec.template.spec.schedulerName) errors.push("Job: coscheduled pods must name the scheduler running the plugin");
    }
  }],
};

let failed = 0;
let checked = 0;
for (const [crdDirs, ...files] of groups) {
  const { ajv, schemas } = schemasOf(crdDirs);
  for (const file of files) {
    const documents = yaml.loadAll(fs.readFileSync(file, "utf8")).filter((d) => d !== null);
    if (documents.length === 0) {
      console.log(`FAIL ${file}: no objects`);
      failed++;
    }
    const index = fileIndex(documents);
    for (const object of documents) {
      const id = `${object.apiVersion} ${object.kind}`;
      const errors = [];
      checkMetadata(object.metadata, errors, "metadata");
      let checker;
      if (schemas.has(id)) {
        checker = "CRD schema";
        const validate = schemas.get(id);
        if (!validate(object)) errors.push(ajv.errorsText(validate.errors));
        crRules[object.kind]?.(object, errors, index);
      } else if (coreRules[id]) {
        checker = "kubernetes-models + API server rules";
        const [Model, rules] = coreRules[id];
        try {
          new Model(object).validate();
        } catch (e) {
          errors.push(e.message);
        }
        rules(object, errors, index);
      } else {
        checker = "none";
        errors.push(`no CRD in ${crdDirs} serves ${id}`);
      }
      checked++;
      if (errors.length > 0) failed++;
      console.log(`${errors.length ? "FAIL" : "ok  "} ${file}: ${id} ${object.metadata?.name} ` +
                  `(${checker})${errors.length ? ": " + errors.join("; ") : ""}`);
    }
  }
}
console.log(`${checked - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
