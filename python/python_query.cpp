// Ridge queries whose g is a vectorised Python function g(Z, y) -> values, Z of shape (n, s) (the
// projections Wᵀx of n points, one row each), y of shape (n,). Oracles call it once per block: the
// exact oracle per quadrature block (512 nodes), the sample oracle per block of samples. Z and y are
// read-only views valid during the call only; g must not keep them.
#include "bindings.hpp"
#include "python_algorithm.hpp"

#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/query.hpp"

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

namespace sqsim::python {
namespace {

py::array_t<double> read_only_view(const double* data, std::vector<py::ssize_t> shape, std::vector<py::ssize_t> strides) {
  // A capsule that owns nothing: the array is a view of memory the oracle owns for the call.
  py::array_t<double> view(std::move(shape), std::move(strides), data, py::capsule(data, [](void*) {}));
  py::detail::array_proxy(view.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return view;
}

sq::BatchRidgeFunction batch_of(SharedPyObject g, std::string name) {
  return [g = std::move(g), name = std::move(name)](const Eigen::Ref<const sq::Matrix>& Z, const Eigen::Ref<const sq::Vector>& y,
                                                    Eigen::Ref<sq::Vector> out) {
    py::gil_scoped_acquire gil;
    const py::ssize_t n = Z.cols(), s = Z.rows(), size = sizeof(double);
    // Z is s x n column-major: read as (n, s), row j is the point j's projections (no copy).
    const auto z_view = read_only_view(Z.data(), {n, s}, {Z.outerStride() * size, Z.innerStride() * size});
    const auto y_view = read_only_view(y.data(), {n}, {y.innerStride() * size});
    const py::object values = (*g)(z_view, y_view);
    const auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(values);
    if (!array || array.ndim() != 1 || array.shape(0) != n)
      throw py::value_error("query '" + name + "': g(Z, y) must return a 1-d array of length n = " + std::to_string(n) +
                            " (one value per row of Z), got " + py::repr(values).cast<std::string>().substr(0, 80));
    out = Eigen::Map<const sq::Vector>(array.data(), n);
  };
}

sq::RidgeForm python_form(const sq::Matrix& W, py::function g, const std::string& name,
                          const std::vector<std::pair<int, double>>& breakpoints, const std::vector<double>& label_levels) {
  sq::RidgeForm form;
  form.W = W;
  form.g_batch = batch_of(share(std::move(g)), name);
  form.g = [batch = form.g_batch](const sq::Vector& z, double y) {
    sq::Matrix Z = z;  // s x 1
    sq::Vector ys = sq::Vector::Constant(1, y), out(1);
    batch(Z, ys, out);
    return out[0];
  };
  for (const auto& [coordinate, level] : breakpoints) form.breakpoints.push_back(sq::Breakpoint{coordinate, level});
  form.label_levels = label_levels;
  return form;
}

sq::Matrix as_directions(const py::array_t<double, py::array::f_style | py::array::forcecast>& W) {
  if (W.ndim() == 1) return Eigen::Map<const sq::Vector>(W.data(), W.shape(0));
  if (W.ndim() == 2) return Eigen::Map<const sq::Matrix>(W.data(), W.shape(0), W.shape(1));
  throw py::value_error("W must be a vector (one direction) or a (d, s) matrix of directions");
}

}  // namespace

void bind_queries(py::module_& m) {
  m.def(
      "ridge_query",
      [](const py::array_t<double, py::array::f_style | py::array::forcecast>& W, py::function g, const std::string& kind,
         const std::string& name, const std::vector<std::pair<int, double>>& breakpoints, const std::vector<double>& label_levels,
         std::optional<sq::Vector> linear_factor) {
        sq::RidgeForm form = python_form(as_directions(W), std::move(g), name, breakpoints, label_levels);
        form.linear_factor = std::move(linear_factor);
        const sq::QueryKind k = parse_kind(kind);
        if (k == sq::QueryKind::correlational)
          throw std::invalid_argument("kind = correlational: write h(z) * y as an l2 ridge query (|h| <= 1 keeps it legal)");
        return sq::ScalarQuery::ridge(k, name, std::move(form));
      },
      py::arg("W"), py::arg("g"), py::kw_only(), py::arg("kind") = "l2", py::arg("name") = "python_query",
      py::arg("breakpoints") = std::vector<std::pair<int, double>>{}, py::arg("label_levels") = std::vector<double>{},
      py::arg("linear_factor") = py::none(),
      "A scalar ridge query q(x, y) = g(Wᵀx, y) [* cᵀx with linear_factor c], g vectorised:\n"
      "g(Z, y) with Z of shape (n, s) and y of shape (n,) returns n values. breakpoints: (j, level) pairs\n"
      "where g may jump or kink in z_j (z_j = 0 always is one); label_levels: label values where g may jump\n"
      "in y. The exact oracle integrates it (and refuses it if it breaks its kind's bound under D0).");
  m.def(
      "ridge_vector_query",
      [](const py::array_t<double, py::array::f_style | py::array::forcecast>& W, py::function g, const std::string& kind,
         const std::string& name, const std::vector<std::pair<int, double>>& breakpoints, const std::vector<double>& label_levels,
         const std::string& norm) {
        sq::RidgeForm form = python_form(as_directions(W), std::move(g), name, breakpoints, label_levels);
        const sq::QueryKind k = parse_kind(kind);
        if (k != sq::QueryKind::l2 && k != sq::QueryKind::stat)
          throw std::invalid_argument("kind = " + sq::printable(kind) + ": must be l2 or stat");
        return sq::VectorQuery::ridge(k, name, std::move(form), parse_norm(norm));
      },
      py::arg("W"), py::arg("g"), py::kw_only(), py::arg("kind") = "l2", py::arg("name") = "python_vector_query",
      py::arg("breakpoints") = std::vector<std::pair<int, double>>{}, py::arg("label_levels") = std::vector<double>{},
      py::arg("norm") = "l2",
      "A vector ridge query q(x, y) = g(Wᵀx, y) x (the shape of every gradient of a ridge loss), g as in ridge_query.");
  // The same query with g in C++ (tanh(z_0) y / 2), for measuring what a Python g costs.
  m.def(
      "_cpp_tanh_query",
      [](const sq::Vector& w) {
        return sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "cpp_tanh", w,
                                            [](const sq::Vector& z, double y) { return std::tanh(z[0]) * y / 2.0; });
      },
      py::arg("w"));
}

}  // namespace sqsim::python
