// A user's own typed query: y 1{|w.x| <= t} / scale, the label mass in a slab around the hyperplane
// w.x = 0. It carries its parameters and builds its own g (with the slab's two kinks declared as
// breakpoints), so the exact oracle integrates it and the sample oracle evaluates it, without any
// change to sqsim. (A closed form in an oracle would be one more overload there: README, "Adding a
// query type".)
#pragma once

#include <sqsim/sq/query.hpp>

#include <cmath>
#include <string>
#include <string_view>

struct LabelMassInSlab {
  static constexpr std::string_view type_name = "label_mass_in_slab";
  sqsim::sq::Vector w;
  double half_width = 0.5;
  double scale = 1.0;
  sqsim::sq::QueryKind kind() const { return sqsim::sq::QueryKind::l2; }
  std::string name() const { return "label_mass_in_slab"; }
  sqsim::sq::RidgeForm ridge() const {
    sqsim::sq::RidgeForm form;
    form.W = sqsim::sq::Matrix(w);
    form.g = [t = half_width, s = scale](const sqsim::sq::Vector& z, double y) { return std::abs(z[0]) <= t ? y / s : 0.0; };
    form.breakpoints = {sqsim::sq::Breakpoint{0, -half_width}, sqsim::sq::Breakpoint{0, half_width}};
    return form;
  }
};
