// The LAPACK routines the linalg kernels call, from OpenBLAS (which Debian
// builds with LAPACK inside, so no other library is linked). Debian ships no
// LAPACKE header for OpenBLAS, so the Fortran entry points are declared here;
// they take every argument by pointer and matrices column-major. The
// templates pick the s* or d* routine by element type.
//
// Each wrapper works on one column-major matrix and returns LAPACK's `info`.
// The kernels copy the row-major operand into a column-major buffer first
// (a row-major matrix read column-major is its transpose, which is not what
// getrf or geqrf must factor), so nothing here knows about Fluxion's layout.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

extern "C" {
void spotrf_(const char* uplo, const int* n, float* a, const int* lda, int* info);
void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info);
void sgetrf_(const int* m, const int* n, float* a, const int* lda, int* ipiv, int* info);
void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void ssyevd_(const char* jobz, const char* uplo, const int* n, float* a, const int* lda, float* w, float* work,
             const int* lwork, int* iwork, const int* liwork, int* info);
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w, double* work,
             const int* lwork, int* iwork, const int* liwork, int* info);
void sgeqrf_(const int* m, const int* n, float* a, const int* lda, float* tau, float* work, const int* lwork,
             int* info);
void dgeqrf_(const int* m, const int* n, double* a, const int* lda, double* tau, double* work, const int* lwork,
             int* info);
void sorgqr_(const int* m, const int* n, const int* k, float* a, const int* lda, const float* tau, float* work,
             const int* lwork, int* info);
void dorgqr_(const int* m, const int* n, const int* k, double* a, const int* lda, const double* tau, double* work,
             const int* lwork, int* info);
void sgesdd_(const char* jobz, const int* m, const int* n, float* a, const int* lda, float* s, float* u,
             const int* ldu, float* vt, const int* ldvt, float* work, const int* lwork, int* iwork, int* info);
void dgesdd_(const char* jobz, const int* m, const int* n, double* a, const int* lda, double* s, double* u,
             const int* ldu, double* vt, const int* ldvt, double* work, const int* lwork, int* iwork, int* info);
}

namespace fluxion::prim::lapack {

// Leading dimensions must be at least 1 even for empty matrices.
inline int ld(int64_t rows) { return static_cast<int>(std::max<int64_t>(rows, 1)); }

// Row-major rows x cols <-> column-major (leading dimension rows).
template <class T> void to_col_major(const T* src, int64_t rows, int64_t cols, T* dst) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) dst[j * rows + i] = src[i * cols + j];
}
template <class T> void from_col_major(const T* src, int64_t rows, int64_t cols, T* dst) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) dst[i * cols + j] = src[j * rows + i];
}

template <class T> int potrf(char uplo, int n, T* a) {
  int info = 0, lda = ld(n);
  if constexpr (sizeof(T) == 4) spotrf_(&uplo, &n, a, &lda, &info);
  else dpotrf_(&uplo, &n, a, &lda, &info);
  return info;
}

template <class T> int getrf(int m, int n, T* a, int* ipiv) {
  int info = 0, lda = ld(m);
  if constexpr (sizeof(T) == 4) sgetrf_(&m, &n, a, &lda, ipiv, &info);
  else dgetrf_(&m, &n, a, &lda, ipiv, &info);
  return info;
}

// Eigenvalues ascending in w, eigenvectors in the columns of a.
template <class T> int syevd(char uplo, int n, T* a, T* w) {
  const char jobz = 'V';
  int info = 0, lda = ld(n), lwork = -1, liwork = -1, iwork_query = 0;
  T work_query = 0;
  if constexpr (sizeof(T) == 4)
    ssyevd_(&jobz, &uplo, &n, a, &lda, w, &work_query, &lwork, &iwork_query, &liwork, &info);
  else
    dsyevd_(&jobz, &uplo, &n, a, &lda, w, &work_query, &lwork, &iwork_query, &liwork, &info);
  if (info != 0) return info;
  lwork = std::max(1, static_cast<int>(work_query));
  liwork = std::max(1, iwork_query);
  std::vector<T> work(static_cast<size_t>(lwork));
  std::vector<int> iwork(static_cast<size_t>(liwork));
  if constexpr (sizeof(T) == 4)
    ssyevd_(&jobz, &uplo, &n, a, &lda, w, work.data(), &lwork, iwork.data(), &liwork, &info);
  else
    dsyevd_(&jobz, &uplo, &n, a, &lda, w, work.data(), &lwork, iwork.data(), &liwork, &info);
  return info;
}

template <class T> int geqrf(int m, int n, T* a, T* tau) {
  int info = 0, lda = ld(m), lwork = -1;
  T query = 0;
  if constexpr (sizeof(T) == 4) sgeqrf_(&m, &n, a, &lda, tau, &query, &lwork, &info);
  else dgeqrf_(&m, &n, a, &lda, tau, &query, &lwork, &info);
  if (info != 0) return info;
  lwork = std::max(1, static_cast<int>(query));
  std::vector<T> work(static_cast<size_t>(lwork));
  if constexpr (sizeof(T) == 4) sgeqrf_(&m, &n, a, &lda, tau, work.data(), &lwork, &info);
  else dgeqrf_(&m, &n, a, &lda, tau, work.data(), &lwork, &info);
  return info;
}

// The first n columns of Q (m x n, n <= m) from k reflectors (lda = m).
template <class T> int orgqr(int m, int n, int k, T* a, const T* tau) {
  int info = 0, lda = ld(m), lwork = -1;
  T query = 0;
  if constexpr (sizeof(T) == 4) sorgqr_(&m, &n, &k, a, &lda, tau, &query, &lwork, &info);
  else dorgqr_(&m, &n, &k, a, &lda, tau, &query, &lwork, &info);
  if (info != 0) return info;
  lwork = std::max(1, static_cast<int>(query));
  std::vector<T> work(static_cast<size_t>(lwork));
  if constexpr (sizeof(T) == 4) sorgqr_(&m, &n, &k, a, &lda, tau, work.data(), &lwork, &info);
  else dorgqr_(&m, &n, &k, a, &lda, tau, work.data(), &lwork, &info);
  return info;
}

// jobz 'A' (full U, Vt), 'S' (reduced) or 'N' (values only); U has leading
// dimension m, Vt (vrows x n) leading dimension vrows.
template <class T> int gesdd(char jobz, int m, int n, T* a, T* s, T* u, T* vt, int vrows) {
  int info = 0, lda = ld(m), ldu = ld(m), ldvt = ld(vrows), lwork = -1;
  std::vector<int> iwork(static_cast<size_t>(8 * std::max(1, std::min(m, n))));
  T query = 0;
  if constexpr (sizeof(T) == 4)
    sgesdd_(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &query, &lwork, iwork.data(), &info);
  else
    dgesdd_(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &query, &lwork, iwork.data(), &info);
  if (info != 0) return info;
  lwork = std::max(1, static_cast<int>(query));
  std::vector<T> work(static_cast<size_t>(lwork));
  if constexpr (sizeof(T) == 4)
    sgesdd_(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work.data(), &lwork, iwork.data(), &info);
  else
    dgesdd_(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work.data(), &lwork, iwork.data(), &info);
  return info;
}

}  // namespace fluxion::prim::lapack
