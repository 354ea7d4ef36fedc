// The C++ spellings of the linalg family's operations, for the cases
// tests/oracle/cases_linalg.py writes. Decompositions unique only up to signs
// are compared through absolute values, as the generator writes them.
#include "oracle_table.hpp"

namespace oracle {
namespace {

fx::Axes axes_of(const Case& c) { return c.axes_param("axis"); }

}  // namespace

void add_linalg_ops(Table& t) {
  t["linalg_cholesky"] = {{"fx::linalg::cholesky", [](const Case&, const Arrays& in) {
                             return one(fx::linalg::cholesky(in[0]));
                           }},
                          {"fx::lax::linalg::cholesky", [](const Case&, const Arrays& in) {
                             if (!fx::is_floating(in[0].dtype())) return Arrays{};
                             return one(fx::lax::linalg::cholesky(in[0]));
                           }}};
  t["linalg_eigh"] = {{"fx::linalg::eigh", [](const Case&, const Arrays& in) {
                         auto [w, v] = fx::linalg::eigh(in[0]);
                         return Arrays{w, fx::abs(v)};
                       }},
                      {"fx::linalg::eigvalsh", [](const Case&, const Arrays& in) {
                         return Arrays{fx::linalg::eigvalsh(in[0]), fx::abs(fx::linalg::eigh(in[0], "U").second)};
                       }}};
  t["linalg_qr"] = {{"fx::linalg::qr", [](const Case&, const Arrays& in) {
                       auto [q, r] = fx::linalg::qr(in[0]);
                       return Arrays{fx::abs(q), fx::abs(r)};
                     }}};
  t["linalg_svd"] = {{"fx::linalg::svd", [](const Case&, const Arrays& in) {
                        auto [u, s, vt] = fx::linalg::svd(in[0], false);
                        return Arrays{fx::abs(u), s, fx::abs(vt)};
                      }}};
  t["linalg_svdvals"] = {{"fx::linalg::svdvals", [](const Case&, const Arrays& in) {
                            return one(fx::linalg::svdvals(in[0]));
                          }},
                         {"fx::linalg::svd", [](const Case&, const Arrays& in) {
                            return one(std::get<1>(fx::linalg::svd(in[0], true)));
                          }}};
  t["linalg_solve"] = {{"fx::linalg::solve", [](const Case&, const Arrays& in) {
                          return one(fx::linalg::solve(in[0], in[1]));
                        }}};
  t["linalg_inv"] = {{"fx::linalg::inv", [](const Case&, const Arrays& in) { return one(fx::linalg::inv(in[0])); }}};
  t["linalg_det"] = {{"fx::linalg::det", [](const Case&, const Arrays& in) { return one(fx::linalg::det(in[0])); }}};
  t["linalg_slogdet"] = {{"fx::linalg::slogdet", [](const Case&, const Arrays& in) {
                            auto [sign, logdet] = fx::linalg::slogdet(in[0]);
                            return Arrays{sign, logdet};
                          }}};
  t["linalg_matrix_power"] = {{"fx::linalg::matrix_power", [](const Case& c, const Arrays& in) {
                                 return one(fx::linalg::matrix_power(in[0], c.int_param("n")));
                               }}};
  t["linalg_solve_triangular"] = {{"fx::linalg::solve_triangular", [](const Case& c, const Arrays& in) {
                                     return one(fx::linalg::solve_triangular(in[0], in[1],
                                                                             static_cast<int>(c.int_param("trans")),
                                                                             c.int_param("lower") != 0));
                                   }}};
  t["linalg_cho_solve"] = {{"fx::linalg::cho_solve", [](const Case& c, const Arrays& in) {
                              return one(fx::linalg::cho_solve(in[0], c.int_param("lower") != 0, in[1]));
                            }}};
  t["linalg_vector_norm"] = {{"fx::linalg::vector_norm", [](const Case& c, const Arrays& in) {
                                return one(fx::linalg::vector_norm(in[0], c.double_param("ord"), axes_of(c)));
                              }}};
  t["linalg_matrix_norm"] = {{"fx::linalg::matrix_norm", [](const Case& c, const Arrays& in) {
                                const std::string& ord = c.param("ord");
                                if (ord == "fro" || ord == "nuc") return one(fx::linalg::matrix_norm(in[0], ord));
                                return one(fx::linalg::matrix_norm(in[0], c.double_param("ord")));
                              }}};
  t["linalg_norm"] = {{"fx::linalg::norm", [](const Case& c, const Arrays& in) {
                         return one(fx::linalg::norm(in[0], c.param("ord"), axes_of(c)));
                       }},
                      {"fx::linalg::norm (default order)", [](const Case& c, const Arrays& in) {
                         if (c.param("ord") != "fro") return Arrays{};
                         return one(fx::linalg::norm(in[0], axes_of(c)));
                       }}};
}

}  // namespace oracle
