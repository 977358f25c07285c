// The Kubernetes exports checked against the rules of the schedulers that read them: topograph's
// label contract, Kueue's TAS annotation rules, Volcano's tiers and pod-to-group ties, the
// coscheduling plugin's label and scheduler name, KAI's top-owner annotations.
#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>
#include "core/result_testing.h"

#include <set>

#include "placement/hierarchy_csv.h"
#include "placement/synthetic.h"
#include "report/scheduler/coscheduling_export.h"
#include "report/scheduler/gang_workload.h"
#include "report/scheduler/kai_export.h"
#include "report/scheduler/kueue_export.h"
#include "report/scheduler/node_labels.h"
#include "report/scheduler/volcano_export.h"

namespace topoplan {
namespace {

Topology spineLeaf() {
  return valueOrThrow<Topology>(syntheticTopology("spine=2,leaf=2,host=3,gpu=8"));
}

std::vector<YAML::Node> load(const Result<std::string>& text) {
  EXPECT_TRUE(text.ok()) << text.error().message();
  return text.ok() ? YAML::LoadAll(*text) : std::vector<YAML::Node>{};
}

std::set<std::string> topologyLevels(const YAML::Node& topology) {
  std::set<std::string> keys;
  for (const auto& level : topology["spec"]["levels"])
    keys.insert(level["nodeLabel"].as<std::string>());
  return keys;
}

// What the API server requires of every pod template we emit (ValidatePodTemplateSpec): at
// least one container, each with a name and an image.
void expectRunnablePods(const YAML::Node& podTemplate) {
  ASSERT_TRUE(podTemplate["spec"]["containers"].IsSequence());
  ASSERT_GE(podTemplate["spec"]["containers"].size(), 1u);
  for (const auto& container : podTemplate["spec"]["containers"]) {
    EXPECT_FALSE(container["name"].as<std::string>("").empty());
    EXPECT_FALSE(container["image"].as<std::string>("").empty());
  }
}

TEST(K8sLabels, TopographTiersCountFromZeroAtTheNode) {
  // topograph 1.0: "Fabric tier 0 is closest to the compute node".
  auto topology = parseHierarchyCsv(
      "host,core,spine,leaf,nvlink\nn1,c,s1,l1,nv1\nn2,c,s1,l1,nv1\nn3,c,s1,l2,nv2\n", "t.csv");
  ASSERT_TRUE(topology.ok());
  K8sOptions options;
  options.labelScheme = "topograph";
  ASSERT_TRUE(checkK8sExport(*topology, options).ok());
  EXPECT_EQ(levelLabelKeys(*topology, options),
            (std::vector<std::string>{"fabric.topograph.run/tier-2", "fabric.topograph.run/tier-1",
                                      "fabric.topograph.run/tier-0",
                                      "accelerator.topograph.run/domain"}));
  options.labelScheme = "topograph-legacy";
  EXPECT_EQ(levelLabelKeys(*topology, options),
            (std::vector<std::string>{
                "network.topology.nvidia.com/core", "network.topology.nvidia.com/spine",
                "network.topology.nvidia.com/leaf", "network.topology.nvidia.com/accelerator"}));
  // A sub-domain inside the accelerator domain, named by the option.
  options.labelScheme = "topograph";
  options.acceleratorLevels = {"leaf", "nvlink"};
  ASSERT_TRUE(checkK8sExport(*topology, options).ok());
  EXPECT_EQ(levelLabelKeys(*topology, options),
            (std::vector<std::string>{"fabric.topograph.run/tier-1", "fabric.topograph.run/tier-0",
                                      "accelerator.topograph.run/domain",
                                      "accelerator.topograph.run/sub-domain"}));
  options.acceleratorLevels = {"nvlink", "leaf"};
  EXPECT_FALSE(checkK8sExport(*topology, options).ok());
  options.acceleratorLevels = {"rack"};
  EXPECT_FALSE(checkK8sExport(*topology, options).ok());
  options.acceleratorLevels = {"leaf", "nvlink"};
  options.labelScheme = "topograph-legacy";  // no sub-domain before 1.0
  EXPECT_FALSE(checkK8sExport(*topology, options).ok());
  // Four fabric tiers do not fit leaf, spine and core.
  auto deep = parseHierarchyCsv("host,a,b,c,d\nn1,a,b,c,d\n", "t.csv");
  ASSERT_TRUE(deep.ok());
  options.acceleratorLevels.clear();
  auto refused = checkK8sExport(*deep, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("4 fabric levels"), std::string::npos);
}

TEST(K8sLabels, NodesAndTheScriptThatLabelsOnlyWhatExists) {
  const Topology topology = spineLeaf();
  K8sOptions options;
  options.labelScheme = "topograph";
  auto nodes = YAML::LoadAll(nodeLabelsYaml(topology, {{"h0002", "its link 0.1 GB/s"}}, options));
  ASSERT_EQ(nodes.size(), 12u);
  EXPECT_EQ(nodes[1]["metadata"]["labels"]["fabric.topograph.run/tier-0"].as<std::string>(),
            "spine1.leaf1");
  EXPECT_EQ(nodes[1]["metadata"]["labels"]["topology.topoplan.dev/degraded"].as<std::string>(),
            "true");
  EXPECT_FALSE(nodes[0]["metadata"]["labels"]["topology.topoplan.dev/degraded"]);
  EXPECT_FALSE(nodes[0]["metadata"]["namespace"]);  // nodes are cluster-scoped
  const std::string yaml = nodeLabelsYaml(topology, {}, options);
  EXPECT_NE(yaml.find("kubectl get -f FILE -o name >/dev/null && kubectl apply --server-side"),
            std::string::npos);
  const std::string script = nodeLabelsScript(topology, {{"h0002", "slow"}}, options);
  EXPECT_EQ(script.find("set -e"), std::string::npos);  // one missing node must not stop it
  EXPECT_NE(script.find("label 'h0001' 'fabric.topograph.run/tier-1=spine1' "
                        "'fabric.topograph.run/tier-0=spine1.leaf1' "
                        "'topology.topoplan.dev/topology=topoplan'\n"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("taint node 'h0002' 'topology.topoplan.dev/degraded=true:NoSchedule'"),
            std::string::npos);
  options.labelPrefix = "Bad_Prefix";
  EXPECT_FALSE(checkK8sExport(topology, options).ok());
}

TEST(GangPods, OnePodPerGpuOrPerHost) {
  auto perGpu = gangPods({{0, 1, 2}, 4, {}}, 0);
  ASSERT_TRUE(perGpu.ok());
  EXPECT_EQ(perGpu->pods(), 12);
  EXPECT_EQ(perGpu->podsPerHost(), 4);
  auto perHost = gangPods({{0, 1, 2}, 4, {}}, 4);
  ASSERT_TRUE(perHost.ok());
  EXPECT_EQ(perHost->pods(), 3);
  EXPECT_FALSE(gangPods({{0, 1, 2}, 4, {}}, 3).ok());  // 3 does not divide 4
  EXPECT_FALSE(gangPods({{0, 1}, 0, {}}, 2).ok());     // whole hosts have no GPU count
  auto whole = gangPods({{0, 1}, 0, {}}, 0);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->pods(), 2);
}

TEST(KueueExport, AJobKueueAdmitsWithTheTopologyRequestOnItsPodTemplate) {
  const Topology topology = spineLeaf();
  K8sOptions options;
  options.queue = "team-a";
  options.gpusPerPod = 8;  // one pod per host
  const PlannedGang inLeaf{{3, 4, 5}, 8, {}};
  auto docs = load(kueueExport(topology, {}, options, &inLeaf));
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0]["apiVersion"].as<std::string>(), "kueue.x-k8s.io/v1beta2");
  EXPECT_EQ(docs[0]["spec"]["levels"][2]["nodeLabel"].as<std::string>(), "kubernetes.io/hostname");
  EXPECT_EQ(docs[1]["spec"]["topologyName"].as<std::string>(), "topoplan");
  const YAML::Node job = docs[2];
  EXPECT_EQ(job["apiVersion"].as<std::string>(), "batch/v1");
  EXPECT_EQ(job["kind"].as<std::string>(), "Job");
  EXPECT_EQ(job["metadata"]["labels"]["kueue.x-k8s.io/queue-name"].as<std::string>(), "team-a");
  EXPECT_TRUE(job["spec"]["suspend"].as<bool>());
  EXPECT_FALSE(job["spec"]["selector"]);  // the API server generates it
  EXPECT_EQ(job["spec"]["parallelism"].as<int>(), 3);
  EXPECT_EQ(job["spec"]["completions"].as<int>(), 3);
  const std::string restart = job["spec"]["template"]["spec"]["restartPolicy"].as<std::string>();
  EXPECT_TRUE(restart == "Never" || restart == "OnFailure");
  expectRunnablePods(job["spec"]["template"]);
  const YAML::Node annotations = job["spec"]["template"]["metadata"]["annotations"];
  // The required level is one of the Topology's levels, the tightest holding the gang.
  const std::string required =
      annotations["kueue.x-k8s.io/podset-required-topology"].as<std::string>();
  EXPECT_EQ(required, "topology.topoplan.dev/leaf");
  EXPECT_EQ(topologyLevels(docs[0]).count(required), 1u);
  EXPECT_FALSE(annotations["kueue.x-k8s.io/podset-slice-size"]);
  EXPECT_EQ(
      job["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["nvidia.com/gpu"]
          .as<std::string>(),
      "8");
}

TEST(KueueExport, SlicesForSeveralPodsOnAHostAndOlderVersions) {
  const Topology topology = spineLeaf();
  K8sOptions options;
  options.kueueVersion = "v1alpha1";
  const PlannedGang inSpine{{0, 1, 2, 3}, 4, {}};  // 4 hosts x 4 GPUs, one pod per GPU
  auto docs = load(kueueExport(topology, {{"h0005", "slow"}}, options, &inSpine));
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0]["apiVersion"].as<std::string>(), "kueue.x-k8s.io/v1alpha1");
  EXPECT_EQ(docs[1]["apiVersion"].as<std::string>(), "kueue.x-k8s.io/v1beta1");
  const YAML::Node job = docs[2];
  const int pods = job["spec"]["parallelism"].as<int>();
  EXPECT_EQ(pods, 16);
  const YAML::Node annotations = job["spec"]["template"]["metadata"]["annotations"];
  EXPECT_EQ(annotations["kueue.x-k8s.io/podset-required-topology"].as<std::string>(),
            "topology.topoplan.dev/spine");
  EXPECT_EQ(annotations["kueue.x-k8s.io/podset-slice-required-topology"].as<std::string>(),
            "kubernetes.io/hostname");
  // Kueue: the slice size at most the pod count; its scheduler places count / size slices.
  const int slice = std::stoi(annotations["kueue.x-k8s.io/podset-slice-size"].as<std::string>());
  EXPECT_EQ(slice, 4);
  EXPECT_EQ(pods % slice, 0);
  auto text = kueueExport(topology, {{"h0005", "slow"}}, options, &inSpine);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("Kueue 0.9 to 0.13"), std::string::npos);
  EXPECT_NE(text->find("kubectl taint node h0005 topology.topoplan.dev/degraded=true:NoSchedule"),
            std::string::npos);
  EXPECT_NE(text->find("kubectl patch mpijob NAME --type merge"), std::string::npos);

  const PlannedGang across{{0, 6}, 0, {}};
  options.kueueVersion = "v1beta1";
  docs = load(kueueExport(topology, {}, options, &across));
  EXPECT_EQ(docs[2]["spec"]["template"]["metadata"]["annotations"]
                ["kueue.x-k8s.io/podset-preferred-topology"]
                    .as<std::string>(),
            "topology.topoplan.dev/spine");
  EXPECT_NE(kueueReleasesServing("v1beta1").find("no longer served from 0.20"), std::string::npos);
}

TEST(VolcanoExport, JobTiedToItsGroupWithinTheGangsTier) {
  const Topology topology = spineLeaf();
  K8sOptions options;
  const PlannedGang inSpine{{0, 1, 2, 3}, 4, {}};
  options.gpusPerPod = 4;
  auto docs = load(volcanoExport(topology, {}, options, &inSpine));
  ASSERT_EQ(docs.size(), 4u + 2u + 1u);
  EXPECT_EQ(docs[0]["metadata"]["name"].as<std::string>(), "topoplan-spine1-leaf1");
  EXPECT_EQ(docs[0]["spec"]["tier"].as<int>(), 1);
  EXPECT_EQ(docs[0]["spec"]["tierName"].as<std::string>(), "leaf");
  EXPECT_EQ(docs[0]["spec"]["members"][2]["selector"]["exactMatch"]["name"].as<std::string>(),
            "h0003");
  EXPECT_EQ(docs[4]["spec"]["tier"].as<int>(), 2);
  EXPECT_EQ(docs[4]["spec"]["members"][1]["type"].as<std::string>(), "HyperNode");
  const YAML::Node job = docs[6];
  EXPECT_EQ(job["apiVersion"].as<std::string>(), "batch.volcano.sh/v1alpha1");
  EXPECT_EQ(job["spec"]["schedulerName"].as<std::string>(), "volcano");
  EXPECT_EQ(job["spec"]["minAvailable"].as<int>(), 4);
  EXPECT_EQ(job["spec"]["tasks"][0]["replicas"].as<int>(), 4);
  EXPECT_EQ(job["spec"]["networkTopology"]["mode"].as<std::string>(), "hard");
  EXPECT_EQ(job["spec"]["networkTopology"]["highestTierAllowed"].as<int>(), 2);
  const YAML::Node pod = job["spec"]["tasks"][0]["template"];
  expectRunnablePods(pod);
  // One pod per host: two of them never share one.
  const YAML::Node anti = pod["spec"]["affinity"]["podAntiAffinity"]
                             ["requiredDuringSchedulingIgnoredDuringExecution"][0];
  EXPECT_EQ(anti["topologyKey"].as<std::string>(), "kubernetes.io/hostname");
  for (const auto& label : anti["labelSelector"]["matchLabels"])
    EXPECT_EQ(pod["metadata"]["labels"][label.first.as<std::string>()].as<std::string>(),
              label.second.as<std::string>());

  options.volcanoVersion = "1.12";
  docs = load(volcanoExport(topology, {}, options, nullptr));
  EXPECT_FALSE(docs[0]["spec"]["tierName"]);  // HyperNode.spec.tierName came in 1.14
  options.volcanoVersion = "1.11";
  EXPECT_FALSE(volcanoExport(topology, {}, options, nullptr).ok());
}

TEST(VolcanoExport, LabelDiscoveryNumbersTiersLikeTheHyperNodes) {
  const Topology topology = spineLeaf();
  K8sOptions options;
  options.volcanoDiscovery = true;
  auto docs = load(volcanoExport(topology, {}, options, nullptr));
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]["kind"].as<std::string>(), "ConfigMap");
  EXPECT_EQ(docs[0]["metadata"]["name"].as<std::string>(), "volcano-controller-configmap");
  const YAML::Node conf = YAML::Load(docs[0]["data"]["volcano-controller.conf"].as<std::string>());
  const YAML::Node entry = conf["networkTopologyDiscovery"][0];
  EXPECT_EQ(entry["source"].as<std::string>(), "label");
  EXPECT_TRUE(entry["enabled"].as<bool>());
  const YAML::Node labels = entry["config"]["networkTopologyTypes"]["topoplan"];
  ASSERT_EQ(labels.size(), 3u);
  // Volcano reads the list backwards, skipping the hostname: the label just above it is tier 1,
  // the finest level, as in the HyperNodes.
  EXPECT_EQ(labels[2]["nodeLabel"].as<std::string>(), "kubernetes.io/hostname");
  EXPECT_EQ(labels[1]["nodeLabel"].as<std::string>(), "topology.topoplan.dev/leaf");
  EXPECT_EQ(labels[0]["nodeLabel"].as<std::string>(), "topology.topoplan.dev/spine");
  options.name = "a-name-longer-than-twenty";
  EXPECT_FALSE(volcanoExport(topology, {}, options, nullptr).ok());
}

TEST(CoschedulingExport, PodsNameTheGroupAndTheSchedulerAndNeverShareAHost) {
  const Topology topology = spineLeaf();
  K8sOptions options;
  const PlannedGang inLeaf{{3, 4, 5}, 8, {}};
  options.gpusPerPod = 8;
  auto docs = load(coschedulingExport(topology, {}, options, inLeaf));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0]["spec"]["minMember"].as<int>(), 3);
  const YAML::Node job = docs[1];
  EXPECT_EQ(job["kind"].as<std::string>(), "Job");
  EXPECT_EQ(job["spec"]["parallelism"].as<int>(), 3);
  const YAML::Node pod = job["spec"]["template"];
  expectRunnablePods(pod);
  EXPECT_EQ(pod["spec"]["schedulerName"].as<std::string>(), "scheduler-plugins-scheduler");
  EXPECT_EQ(pod["metadata"]["labels"]["scheduling.x-k8s.io/pod-group"].as<std::string>(),
            docs[0]["metadata"]["name"].as<std::string>());
  const YAML::Node affinity = pod["spec"]["affinity"];
  auto expression = affinity["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
                            ["nodeSelectorTerms"][0]["matchExpressions"][0];
  EXPECT_EQ(expression["operator"].as<std::string>(), "In");
  EXPECT_EQ(expression["values"].as<std::vector<std::string>>(),
            (std::vector<std::string>{"h0004", "h0005", "h0006"}));
  EXPECT_EQ(affinity["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
                    ["topologyKey"]
                        .as<std::string>(),
            "kubernetes.io/hostname");
  // Several pods per host: no anti-affinity, which would leave all but one pending.
  options.gpusPerPod = 2;
  docs = load(coschedulingExport(topology, {}, options, inLeaf));
  EXPECT_EQ(docs[0]["spec"]["minMember"].as<int>(), 12);
  EXPECT_FALSE(docs[1]["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"]);
}

TEST(KaiExport, TopologyAndAnMpiJobWhoseOwnerCarriesThePlacement) {
  const Topology topology = spineLeaf();
  K8sOptions options;
  const PlannedGang inLeaf{{3, 4, 5}, 8, {}};
  options.gpusPerPod = 2;
  auto docs = load(kaiExport(topology, {}, options, &inLeaf));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0]["apiVersion"].as<std::string>(), "kai.scheduler/v1alpha1");
  const YAML::Node job = docs[1];
  EXPECT_EQ(job["kind"].as<std::string>(), "MPIJob");
  const YAML::Node annotations = job["metadata"]["annotations"];
  EXPECT_EQ(annotations["kai.scheduler/topology"].as<std::string>(),
            docs[0]["metadata"]["name"].as<std::string>());
  const std::string required =
      annotations["kai.scheduler/topology-required-placement"].as<std::string>();
  EXPECT_EQ(topologyLevels(docs[0]).count(required), 1u);
  EXPECT_EQ(required, "topology.topoplan.dev/leaf");
  EXPECT_EQ(annotations["kai.scheduler/segment-size"].as<std::string>(), "4");
  EXPECT_EQ(job["metadata"]["labels"]["kai.scheduler/queue"].as<std::string>(), "default");
  const YAML::Node replicas = job["spec"]["mpiReplicaSpecs"];
  EXPECT_EQ(replicas["Launcher"]["replicas"].as<int>(), 1);
  EXPECT_EQ(replicas["Worker"]["replicas"].as<int>(), 12);
  EXPECT_EQ(job["spec"]["slotsPerWorker"].as<int>(), 2);
  for (const char* role : {"Launcher", "Worker"}) {
    expectRunnablePods(replicas[role]["template"]);
    EXPECT_EQ(replicas[role]["template"]["spec"]["schedulerName"].as<std::string>(),
              "kai-scheduler");
  }
}

}  // namespace
}  // namespace topoplan
