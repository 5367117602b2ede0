using System;
using Microsoft.AspNetCore.Http;

namespace IoTSec.Gateway.Est;

/// <summary>The HTTP status and the code word of each <see cref="EstRefusal"/>: one table.</summary>
public static class EstRefusals
{
    /// <summary>The HTTP status a refusal is answered with.</summary>
    public static int StatusOf(EstRefusal reason) => reason switch
    {
        EstRefusal.NoClientCertificate => StatusCodes.Status401Unauthorized,
        EstRefusal.UntrustedCertificate or EstRefusal.CertificateOutsideValidity or EstRefusal.CertificateRevoked => StatusCodes.Status403Forbidden,
        EstRefusal.DeviceRevoked or EstRefusal.BirthCertificateRequired or EstRefusal.OperationalCertificateRequired => StatusCodes.Status403Forbidden,
        EstRefusal.CertificateSuperseded or EstRefusal.SubjectMismatch or EstRefusal.InvalidDeviceId => StatusCodes.Status403Forbidden,
        EstRefusal.UnknownDevice => StatusCodes.Status404NotFound,
        EstRefusal.MalformedRequest or EstRefusal.SignatureInvalid or EstRefusal.UnsupportedKey or EstRefusal.UnexpectedBody => StatusCodes.Status400BadRequest,
        EstRefusal.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        EstRefusal.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        EstRefusal.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        EstRefusal.EnrolmentInProgress => StatusCodes.Status409Conflict,
        EstRefusal.RateLimited => StatusCodes.Status429TooManyRequests,
        EstRefusal.Busy or EstRefusal.SecretUnavailable or EstRefusal.IssuanceStopped => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown refusal"),
    };

    /// <summary>The code word: lower-case, hyphenated, stable (devices and scripts may match on it).</summary>
    public static string CodeOf(EstRefusal reason) => reason switch
    {
        EstRefusal.NoClientCertificate => "client-certificate-required",
        EstRefusal.UntrustedCertificate => "untrusted-certificate",
        EstRefusal.CertificateOutsideValidity => "certificate-outside-validity",
        EstRefusal.CertificateRevoked => "certificate-revoked",
        EstRefusal.DeviceRevoked => "device-revoked",
        EstRefusal.UnknownDevice => "unknown-device",
        EstRefusal.BirthCertificateRequired => "birth-certificate-required",
        EstRefusal.OperationalCertificateRequired => "operational-certificate-required",
        EstRefusal.CertificateSuperseded => "certificate-superseded",
        EstRefusal.SubjectMismatch => "subject-mismatch",
        EstRefusal.MalformedRequest => "malformed-request",
        EstRefusal.SignatureInvalid => "csr-signature-invalid",
        EstRefusal.UnsupportedKey => "unsupported-key",
        EstRefusal.UnexpectedBody => "unexpected-body",
        EstRefusal.UnsupportedMediaType => "unsupported-media-type",
        EstRefusal.BodyTooLarge => "body-too-large",
        EstRefusal.MethodNotAllowed => "method-not-allowed",
        EstRefusal.EnrolmentInProgress => "enrolment-in-progress",
        EstRefusal.RateLimited => "rate-limited",
        EstRefusal.Busy => "busy",
        EstRefusal.SecretUnavailable => "secret-unavailable",
        EstRefusal.InvalidDeviceId => "invalid-device-id",
        EstRefusal.IssuanceStopped => "issuance-stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown refusal"),
    };
}
