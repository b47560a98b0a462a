// The one error convention of the backend: expected failures are values.
// Exceptions from libraries (libpqxx, yaml-cpp) are caught at the module boundary and turned
// into an Error; asserts are only for programmer errors, never for external input.
#pragma once

#include <QString>
#include <utility>
#include <variant>

namespace upcoach {

enum class ErrorCode
{
    InvalidInput, // the caller's input is malformed or out of range
    NotFound,     // the thing asked for does not exist
    Conflict,     // the request clashes with current state
    Unavailable,  // a dependency (database, network, process) did not answer
    Unauthorized, // missing or wrong credentials
    Forbidden,    // credentials fine, permission missing
    Config,       // configuration is wrong; the message names the key
    Internal,     // a bug or an unexpected library failure
};

QString errorCodeName(ErrorCode code);

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    // What was wrong and, where useful, what to do about it. Never a secret or PII value.
    QString message;

    // Prefixes the message with where the error happened ("region us-east-1: ...").
    Error context(const QString &where) const
    {
        return {code, where + QStringLiteral(": ") + message};
    }
};

// E is Error everywhere except where a protocol needs a richer error value at its boundary
// (SCIM's status + scimType: identity::scim::ScimResult<T> = Result<T, ScimError>).
template<typename T, typename E = Error> class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_state(std::in_place_index<0>, std::move(value))
    {}
    Result(E error)
        : m_state(std::in_place_index<1>, std::move(error))
    {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_state); }
    const T &value() const & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const E &error() const { return std::get<1>(m_state); }

    T valueOr(T fallback) const & { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, E> m_state;
};

template<typename E> class [[nodiscard]] Result<void, E>
{
public:
    Result() = default;
    Result(E error)
        : m_error(std::move(error))
        , m_ok(false)
    {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const E &error() const { return m_error; }

private:
    E m_error;
    bool m_ok = true;
};

using Status = Result<void>;

inline Error makeError(ErrorCode code, QString message)
{
    return Error{code, std::move(message)};
}

} // namespace upcoach
