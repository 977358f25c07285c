#include "report/scheduler/yaml_emit.h"

#include <yaml-cpp/yaml.h>

namespace topoplan {
namespace {

// Multi-line text (a configuration file inside a ConfigMap) reads best as a literal block; only
// plain printable lines without trailing blanks are written so.
bool literalBlock(const std::string& text) {
  // A literal block keeps exactly one final line break ("|"): only text ending in one.
  if (text.size() < 2 || text.back() != '\n' || text[text.size() - 2] == '\n') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      if (i > 0 && text[i - 1] == ' ') return false;
    } else if (c < 0x20 || c >= 0x7f) {
      return false;
    }
  }
  return true;
}

void emit(YAML::Emitter& out, const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::object:
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key << key << YAML::Value;
        emit(out, item);
      }
      out << YAML::EndMap;
      break;
    case nlohmann::ordered_json::value_t::array:
      out << YAML::BeginSeq;
      for (const auto& item : value) emit(out, item);
      out << YAML::EndSeq;
      break;
    case nlohmann::ordered_json::value_t::string:
      if (literalBlock(value.get<std::string>()))
        out << YAML::Literal << value.get<std::string>();
      else
        out << YAML::DoubleQuoted << value.get<std::string>();
      break;
    case nlohmann::ordered_json::value_t::boolean:
      out << value.get<bool>();
      break;
    case nlohmann::ordered_json::value_t::null:
      out << YAML::Null;
      break;
    case nlohmann::ordered_json::value_t::number_unsigned:
      out << value.get<unsigned long long>();
      break;
    case nlohmann::ordered_json::value_t::number_integer:
      out << value.get<long long>();
      break;
    default:
      out << value.get<double>();
      break;
  }
}

}  // namespace

std::string hashComment(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    for (char& c : line) {
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    }
    out += "# " + line + "\n";
    start = end + 1;
  }
  return out;
}

std::string yamlText(const nlohmann::ordered_json& value) {
  YAML::Emitter out;
  out.SetBoolFormat(YAML::TrueFalseBool);
  out.SetIndent(2);
  emit(out, value);
  return std::string(out.c_str()) + "\n";
}

std::string yamlDocuments(const std::vector<nlohmann::ordered_json>& documents,
                          const std::string& comment) {
  std::string text = hashComment(comment);
  for (const auto& document : documents) text += "---\n" + yamlText(document);
  return text;
}

}  // namespace topoplan
