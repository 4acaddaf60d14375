# install + export: find_package(sqsim) gives sqsim::sqsim (and sqsim::sq, sqsim::queries, sqsim::oracles,
# sqsim::algorithms, ...) and sqsim::cli, the sqsim program as a library.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS sqsim_numerics sqsim_sq sqsim_queries sqsim_oracles sqsim_algorithms sqsim_lower_bounds sqsim_experiments sqsim_records sqsim sqsim_cli_lib
  EXPORT sqsimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS sqsim_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Everything under <prefix>/include/sqsim/: the public headers of each library (not detail/, not the
# MPI communicator, whose library is not installed), the program's one entry header, the umbrella header.
foreach(_folder numerics sq queries oracles algorithms lower_bounds experiments records)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${_folder}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sqsim/${_folder}
          FILES_MATCHING PATTERN "*.hpp" PATTERN "detail" EXCLUDE PATTERN "mpi_communicator.hpp" EXCLUDE)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/cli/sqsim_cli.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sqsim/cli)
install(FILES ${PROJECT_SOURCE_DIR}/sqsim.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sqsim)
install(EXPORT sqsimTargets NAMESPACE sqsim:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sqsim)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sqsimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sqsimConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sqsim)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sqsimConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sqsimConfig.cmake ${PROJECT_BINARY_DIR}/sqsimConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sqsim)
