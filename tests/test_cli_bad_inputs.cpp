// The catalogue of bad and extreme inputs (tests/cli/bad_inputs.txt): every case exits with code 2,
// prints one line on stderr naming the parameter, nothing on stdout, and leaves no file behind.
// The program is started with execv (no shell), so arguments with newlines or quotes reach it as
// they are, and each case runs in the same scratch directory, whose listing must not change.
#include "read_file.hpp"
#include "subprocess.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Case {
  int line = 0;
  std::string expected;
  std::vector<std::string> arguments;
};

std::string unescape(const std::string& word) {
  if (word == "\\e") return "";
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] == '\\' && i + 1 < word.size() && (word[i + 1] == 'n' || word[i + 1] == 's')) {
      out += word[i + 1] == 'n' ? '\n' : ' ';
      ++i;
    } else {
      out += word[i];
    }
  }
  return out;
}

std::vector<Case> catalogue() {
  std::ifstream in(std::string(SQSIM_TEST_SOURCE_DIR) + "/cli/bad_inputs.txt");
  REQUIRE(in);
  std::vector<Case> cases;
  std::string text;
  for (int number = 1; std::getline(in, text); ++number) {
    if (text.empty() || text[0] == '#') continue;
    const auto bar = text.find(" | ");
    REQUIRE(bar != std::string::npos);
    Case c{number, text.substr(0, bar), {}};
    std::istringstream words(text.substr(bar + 3));
    for (std::string word; words >> word;) c.arguments.push_back(unescape(word));
    cases.push_back(std::move(c));
  }
  return cases;
}

using testing::slurp;

std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) names.insert(fs::relative(entry.path(), dir).string());
  return names;
}

testing::ProcessOutcome run_in(const fs::path& dir, const std::vector<std::string>& arguments) {
  return testing::run_process(SQSIM_CLI_PATH, arguments, dir);
}

void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

TEST_CASE("the bad-input catalogue: exit code 2, one line naming the parameter, no output, no file left") {
  const fs::path root = fs::temp_directory_path() / ("sqsim_bad_inputs_" + std::to_string(::getpid()));
  const fs::path dir = root / "work";
  fs::create_directories(dir / "subdir");
  fs::create_directories(dir / "subdir.png");
  write(dir / "ragged.csv", "1,2,0.5\n3,0.5\n");
  write(dir / "ragged_free.csv", "1,2,0.5\n3,0.5,0.1\n");
  write(dir / "nul.csv", std::string("1,2,0.5\n3,\0"
                                     "4,0.2\n",
                                     17));
  write(dir / "label.csv", "1,2,1.5\n");
  write(dir / "nan.csv", "1,nan,0.5\n");
  write(dir / "one.csv", "0.5\n");
  write(dir / "empty.csv", "");
  write(dir / "comments.csv", "# only a comment\n");
  write(dir / "w_bad.txt", "1\n\nnan\n");
  const std::set<std::string> before = listing(dir);
  const std::vector<Case> cases = catalogue();
  CHECK(cases.size() >= 80);
  for (const Case& c : cases) {
    std::string shown;
    for (const std::string& a : c.arguments) shown += " " + a;
    CAPTURE(c.line);
    CAPTURE(shown);
    const testing::ProcessOutcome o = run_in(dir, c.arguments);
    CAPTURE(o.err);
    CHECK(o.exit_code == 2);
    CHECK(o.err.find(c.expected) != std::string::npos);
    CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
    CHECK(o.out.empty());
    CHECK(listing(dir) == before);
  }
  fs::remove_all(root);
}
