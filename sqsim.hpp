// sqsim in one include: the SQ model, the typed queries, the worlds and oracles, the shipped
// algorithms and their catalogue, the hard families with the adversary, and the experiments.
// Every name lives in namespace sqsim (sqsim::sq, sqsim::oracles, sqsim::algorithms, ...). The JSON
// records (<sqsim/records/...>) and the program (<sqsim/cli/sqsim_cli.hpp>) are included on their own.
#pragma once

#include "sqsim/sq/algorithm.hpp"
#include "sqsim/sq/dispatch.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/ledger.hpp"
#include "sqsim/sq/oracle.hpp"
#include "sqsim/sq/query.hpp"
#include "sqsim/sq/random.hpp"

#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/queries/subsets.hpp"
#include "sqsim/queries/typed_queries.hpp"

#include "sqsim/oracles/csv_dataset.hpp"
#include "sqsim/oracles/empirical_loss.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/oracles/relu_closed_forms.hpp"
#include "sqsim/oracles/relu_world.hpp"
#include "sqsim/oracles/sample_oracle.hpp"

#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim/algorithms/coordinate_csq.hpp"
#include "sqsim/algorithms/glmtron.hpp"
#include "sqsim/algorithms/gradient_descent.hpp"
#include "sqsim/algorithms/group_testing.hpp"
#include "sqsim/algorithms/label_correlation.hpp"
#include "sqsim/algorithms/parity_search.hpp"
#include "sqsim/algorithms/threshold_halfspace.hpp"

#include "sqsim/lower_bounds/adversary.hpp"
#include "sqsim/lower_bounds/families.hpp"
#include "sqsim/lower_bounds/hard_family.hpp"
#include "sqsim/lower_bounds/hard_instance.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/member_oracle.hpp"
#include "sqsim/lower_bounds/orthogonal_relu/orthogonal_relu.hpp"
#include "sqsim/lower_bounds/parity_reduction.hpp"
#include "sqsim/lower_bounds/statistical_dimension.hpp"

#include "sqsim/experiments/approximation.hpp"
#include "sqsim/experiments/family_bound.hpp"
#include "sqsim/experiments/family_run.hpp"
#include "sqsim/experiments/gd_failure.hpp"
#include "sqsim/experiments/reduction.hpp"
#include "sqsim/experiments/scaling.hpp"
#include "sqsim/experiments/sq_bound.hpp"
#include "sqsim/experiments/tradeoff.hpp"
