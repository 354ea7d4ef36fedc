# `cmake --install` gives find_package(fluxion CONFIG) a fluxion::fluxion target.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS fluxion EXPORT fluxionTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/fluxion DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(FLUXION_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/fluxion)
install(EXPORT fluxionTargets NAMESPACE fluxion:: DESTINATION ${FLUXION_CMAKE_DIR})
configure_package_config_file(cmake/fluxionConfig.cmake.in
  ${PROJECT_BINARY_DIR}/fluxionConfig.cmake INSTALL_DESTINATION ${FLUXION_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/fluxionConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/fluxionConfig.cmake
              ${PROJECT_BINARY_DIR}/fluxionConfigVersion.cmake
              cmake/FluxionDependencies.cmake
        DESTINATION ${FLUXION_CMAKE_DIR})
