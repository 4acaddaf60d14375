// One conversion from a record to Python: the records library's JSON, read by Python's json module,
// so a dict from sqsim has exactly the keys, types and nulls of the program's --json output.
#include "bindings.hpp"

#include <nlohmann/json.hpp>

namespace sqsim::python {

py::object to_python(const nlohmann::json& record) { return py::module_::import("json").attr("loads")(record.dump()); }

}  // namespace sqsim::python
