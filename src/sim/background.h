// The background: what every sensor sees every day with no event going on.
// Sessions of the world's source population, each shaped by its behaviour
// and stack, drawn until the sensor's daily volume (after the daily and weekly
// cycles and --scale) is reached. See docs/simulator.md, "Background".
#pragma once

#include <vector>

#include "core/event.h"
#include "sim/rng.h"
#include "sim/scenario.h"
#include "sim/world.h"

namespace portstorm::sim {

// A start time on day `day` drawn from the daily cycle (busier in the evening UTC).
TimeUs DiurnalTime(const World& w, int day, double swing, Rng& rng);

// Appends sensor s's background packets of day offset `day` (true time, not
// in order) to *out.
void Background(const World& w, const BackgroundParams& bg, const Sensor& s, int day, Rng& rng,
                std::vector<Event>* out);

}  // namespace portstorm::sim
