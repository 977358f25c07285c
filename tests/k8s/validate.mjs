// Validates topoplan's Kubernetes exports: Kueue and Volcano objects against the OpenAPI schemas
// of their CRDs (../shared/data/crds), core objects with kubernetes-models, and for every object
// the API server's name and label rules. Prints one line per object; exit 1 on any failure.
//
// usage: node validate.mjs CRD_DIR FILE...
import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import Ajv from "ajv";
import { Node } from "kubernetes-models/v1/Node";
import { PodTemplate } from "kubernetes-models/v1/PodTemplate";

const [crdDir, ...files] = process.argv.slice(2);
if (!crdDir || files.length === 0) {
  console.error("usage: node validate.mjs CRD_DIR FILE...");
  process.exit(2);
}

// apimachinery's rules (k8s.io/apimachinery/pkg/util/validation).
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key, errors, where) {
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? "" : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix && (prefix.length > 253 || !dns1123Subdomain.test(prefix)))
    errors.push(`${where}: key prefix '${prefix}' is not a DNS subdomain`);
  if (name.length > 63 || !qualifiedName.test(name))
    errors.push(`${where}: key name '${name}' is not a qualified name`);
}

function checkLabels(labels, errors, where) {
  for (const [key, value] of Object.entries(labels ?? {})) {
    checkKey(key, errors, `${where} label ${key}`);
    if (typeof value !== "string" || value.length > 63 || !labelValue.test(value))
      errors.push(`${where} label ${key}: value '${value}' is not a label value`);
  }
}

function checkMetadata(object, errors) {
  const meta = object.metadata ?? {};
  const name = meta.name ?? "";
  if (name.length > 253 || !dns1123Subdomain.test(name))
    errors.push(`metadata.name '${name}' is not a DNS-1123 subdomain`);
  checkLabels(meta.labels, errors, "metadata");
  for (const key of Object.keys(meta.annotations ?? {})) checkKey(key, errors, "annotation");
}

// CRD schemas by "group/version Kind".
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const schemas = new Map();
for (const file of fs.readdirSync(crdDir).filter((f) => f.endsWith(".yaml"))) {
  const crd = yaml.load(fs.readFileSync(path.join(crdDir, file), "utf8"));
  for (const version of crd.spec.versions) {
    schemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`,
                ajv.compile(version.schema.openAPIV3Schema));
  }
}

// Rules the schemas state as CEL (x-kubernetes-validations), which ajv does not run.
const celRules = {
  Topology(object, errors) {
    const labels = object.spec.levels.map((l) => l.nodeLabel);
    if (new Set(labels).size !== labels.length) errors.push("Topology levels: must be unique");
    const host = labels.indexOf("kubernetes.io/hostname");
    if (host >= 0 && host !== labels.length - 1)
      errors.push("Topology levels: kubernetes.io/hostname only at the lowest level");
  },
  ResourceFlavor(object, errors) {
    if (object.spec.topologyName && Object.keys(object.spec.nodeLabels ?? {}).length < 1)
      errors.push("ResourceFlavor: at least one nodeLabel is required when topology is set");
  },
  HyperNode(object, errors) {
    for (const m of object.spec.members) {
      const kinds = ["exactMatch", "regexMatch", "labelMatch"].filter((k) => m.selector?.[k]);
      if (kinds.length !== 1) errors.push("HyperNode member: exactly one selector kind");
    }
  },
};

const coreModels = { "v1 Node": Node, "v1 PodTemplate": PodTemplate };

let failed = 0;
let checked = 0;
for (const file of files) {
  const documents = yaml.loadAll(fs.readFileSync(file, "utf8")).filter((d) => d !== null);
  if (documents.length === 0) {
    console.log(`FAIL ${file}: no objects`);
    failed++;
  }
  for (const object of documents) {
    const id = `${object.apiVersion} ${object.kind}`;
    const errors = [];
    checkMetadata(object, errors);
    let checker = "names";
    if (schemas.has(id)) {
      checker = "CRD schema";
      const validate = schemas.get(id);
      if (!validate(object)) errors.push(ajv.errorsText(validate.errors));
      celRules[object.kind]?.(object, errors);
    } else if (coreModels[id]) {
      checker = "kubernetes-models";
      try {
        new coreModels[id](object).validate();
      } catch (e) {
        errors.push(e.message);
      }
    } else if (id === "scheduling.x-k8s.io/v1alpha1 PodGroup") {
      checker = "coscheduling PodGroup";
      if (!Number.isInteger(object.spec?.minMember) || object.spec.minMember < 1)
        errors.push("spec.minMember: expected an integer >= 1");
    } else {
      errors.push("no schema for this kind");
    }
    checkLabels(object.template?.metadata?.labels, errors, "template.metadata");
    checked++;
    if (errors.length > 0) failed++;
    console.log(`${errors.length ? "FAIL" : "ok  "} ${file}: ${id} ${object.metadata?.name} ` +
                `(${checker})${errors.length ? ": " + errors.join("; ") : ""}`);
  }
}
console.log(`${checked - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
