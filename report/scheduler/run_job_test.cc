#include "report/scheduler/run_job.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace topoplan {
namespace {

RunJob job(int hosts) {
  RunJob j;
  for (int h = 1; h <= hosts; ++h) j.hosts.push_back("gpu0" + std::to_string(h));
  j.ranksPerNode = 4;
  j.gpusPerNode = 4;
  j.args = {"allreduce", "-b", "1M", "--json", "a b.json"};
  return j;
}

TEST(RunJob, SlurmScriptRunsTheCommandOnTheNodes) {
  const std::string s = slurmJobScript(job(3));
  EXPECT_NE(s.find("#SBATCH --nodes=3\n"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --ntasks-per-node=4\n"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --nodelist=gpu[01-03]\n"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --gpus-per-node=4\n"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --job-name=topoplan-allreduce\n"), std::string::npos);
  EXPECT_NE(
      s.find("\nsrun --mpi=pmix --kill-on-bad-exit=1 topoplan allreduce -b 1M --json 'a b.json'\n"),
      std::string::npos)
      << s;
  RunJob viaMpirun = job(2);
  viaMpirun.slurmMpi = "mpirun";
  viaMpirun.gpusPerNode = 0;
  const std::string m = slurmJobScript(viaMpirun);
  EXPECT_NE(m.find("\nmpirun --map-by ppr:4:node topoplan allreduce"), std::string::npos) << m;
  EXPECT_EQ(m.find("--gpus-per-node"), std::string::npos);
}

TEST(RunJob, MpiJobRunsRankZeroOnTheLauncher) {
  const YAML::Node doc = YAML::Load(mpiJobYaml(job(3), K8sOptions{}));
  const YAML::Node spec = doc["spec"];
  EXPECT_TRUE(spec["runLauncherAsWorker"].as<bool>());
  EXPECT_EQ(spec["slotsPerWorker"].as<int>(), 4);
  EXPECT_EQ(spec["mpiReplicaSpecs"]["Worker"]["replicas"].as<int>(), 2);  // + the launcher: 3 nodes
  const YAML::Node launcher = spec["mpiReplicaSpecs"]["Launcher"]["template"]["spec"];
  EXPECT_EQ(launcher["containers"][0]["args"][1].as<std::string>(), "12");  // -np 12
  EXPECT_EQ(launcher["containers"][0]["workingDir"].as<std::string>(), "/results");
  EXPECT_EQ(launcher["containers"][0]["resources"]["limits"]["nvidia.com/gpu"].as<std::string>(),
            "4");
  const YAML::Node values =
      launcher["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
              ["nodeSelectorTerms"][0]["matchExpressions"][0]["values"];
  EXPECT_EQ(values.size(), 3u);
  EXPECT_TRUE(launcher["affinity"]["podAntiAffinity"]);
  // One node: the launcher alone.
  EXPECT_FALSE(YAML::Load(mpiJobYaml(job(1), K8sOptions{}))["spec"]["mpiReplicaSpecs"]["Worker"]);
}

TEST(RunJob, VolcanoJobIsOneGangWithTheMpiPlugin) {
  RunJob j = job(4);
  j.resultsClaim = "results";
  const YAML::Node spec = YAML::Load(volcanoJobYaml(j, K8sOptions{}))["spec"];
  EXPECT_EQ(spec["minAvailable"].as<int>(), 4);
  EXPECT_EQ(spec["plugins"]["mpi"][0].as<std::string>(), "--master=launcher");
  EXPECT_TRUE(spec["plugins"]["ssh"]);
  EXPECT_EQ(spec["tasks"][0]["name"].as<std::string>(), "launcher");
  EXPECT_EQ(spec["tasks"][1]["replicas"].as<int>(), 3);
  const std::string run =
      spec["tasks"][0]["template"]["spec"]["containers"][0]["command"][2].as<std::string>();
  EXPECT_NE(run.find("-np 16 --host \"${hosts}\""), std::string::npos) << run;
  EXPECT_EQ(spec["tasks"][0]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"]
                .as<std::string>(),
            "results");
}

TEST(RunJob, ChecksBeforeWriting) {
  RunJob j = job(2);
  EXPECT_TRUE(checkRunJob(j).ok());
  j.hosts.push_back("gpu01");
  EXPECT_NE(checkRunJob(j).error().message().find("node 'gpu01' listed twice"), std::string::npos);
  j = job(2);
  j.args.clear();
  EXPECT_FALSE(checkRunJob(j).ok());
  j = job(2);
  j.name = "Bad_Name";
  EXPECT_NE(checkRunJob(j).error().message().find("--name 'Bad_Name'"), std::string::npos);
}

}  // namespace
}  // namespace topoplan
