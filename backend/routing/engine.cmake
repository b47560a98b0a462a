# The policy file, the router and its snapshot, controls, analytics, the runtime.
target_sources(upcoach_routing PRIVATE
  include/upcoach/routing/trafficpolicy.h
  include/upcoach/routing/router.h
  src/trafficpolicy.cpp
  include/upcoach/routing/trafficcontrols.h
  src/router.cpp
  src/trafficcontrols.cpp
  include/upcoach/routing/trafficruntime.h
  src/trafficruntime.cpp
  src/routingsettings.cpp
)
# Traffic analytics, latency tracking, synthetic traffic (traffic.cmake).
include(${CMAKE_CURRENT_LIST_DIR}/traffic.cmake OPTIONAL)
qt_add_resources(upcoach_routing upcoach_traffic_policy
  PREFIX /upcoach
  BASE ${CMAKE_CURRENT_SOURCE_DIR}/../../resources
  FILES ${CMAKE_CURRENT_SOURCE_DIR}/../../resources/traffic-policy.yaml)
