# Traffic analytics (TrafficStats), measured round trips for the latency rule (LatencyTracker)
# and the demo's synthetic traffic through the real router (SyntheticTraffic). Included by
# engine.cmake.
target_sources(upcoach_routing PRIVATE
  include/upcoach/routing/trafficstats.h
  include/upcoach/routing/latencytracker.h
  include/upcoach/routing/synthetictraffic.h
  src/trafficstats.cpp
  src/latencytracker.cpp
  src/synthetictraffic.cpp
)
