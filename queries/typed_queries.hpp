// Every typed query the project ships, one list per shape. An oracle's own lists (the types it
// answers in closed form) are drawn from these; tests/test_query_matrix.cpp walks them against
// every oracle. A new typed query goes here too, or that test fails naming it.
#pragma once

#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/dispatch.hpp"

namespace sqsim::queries {

using ScalarQueryTypes = sq::QueryTypes<SquareLoss, HalfGradientCoordinate, ReluCorrelation, ThresholdCorrelation, Character, CharacterSum>;
using VectorQueryTypes = sq::QueryTypes<HalfGradient, SurrogateGradient, LabelCorrelation, ThresholdedLabelCorrelation>;

}  // namespace sqsim::queries