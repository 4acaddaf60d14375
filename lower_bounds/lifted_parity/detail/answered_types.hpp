// The typed queries the lifted parity answers in closed form: one list for its answers (answers.cpp)
// and its exposure fast paths (lifted_parity_exposure.cpp). Internal; not installed.
#pragma once

#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/dispatch.hpp"

namespace sqsim::lower_bounds {

using LiftedParityScalarTypes = sq::QueryTypes<queries::SquareLoss, queries::HalfGradientCoordinate, queries::ReluCorrelation,
                                               queries::ThresholdCorrelation, queries::Character, queries::CharacterSum>;
using LiftedParityVectorTypes =
    sq::QueryTypes<queries::HalfGradient, queries::SurrogateGradient, queries::LabelCorrelation, queries::ThresholdedLabelCorrelation>;

}  // namespace sqsim::lower_bounds