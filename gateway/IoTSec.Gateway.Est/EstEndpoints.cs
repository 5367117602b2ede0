using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Protocol.Heartbeat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IoTSec.Gateway.Est;

/// <summary>
/// The HTTP side of the EST service: one handler per path, each mapping its request to
/// <see cref="EnrolmentService"/> and every refusal to a text/plain problem response
/// ("code-word: message") with the refusal's status, Retry-After where it applies, and a
/// count in the refusal audit.
/// </summary>
public static class EstEndpoints
{
    /// <summary>Maps cacerts, simpleenroll, simplereenroll, serverkeygen, the heartbeat key and the CRL.</summary>
    public static IEndpointRouteBuilder MapEst(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Every method is routed to the handler, which answers 405 with Allow itself: the
        // refusal is then typed and counted like any other.
        endpoints.Map(EstProtocol.CaCertsPath, context => HandleAsync(context, EstOperation.CaCerts, HttpMethods.Get, CaCertsAsync));
        endpoints.Map(EstProtocol.SimpleEnrollPath, context => HandleAsync(context, EstOperation.SimpleEnroll, HttpMethods.Post, EnrolAsync));
        endpoints.Map(EstProtocol.SimpleReenrollPath, context => HandleAsync(context, EstOperation.SimpleReenroll, HttpMethods.Post, EnrolAsync));
        endpoints.Map(EstProtocol.ServerKeyGenPath, context => HandleAsync(context, EstOperation.ServerKeyGen, HttpMethods.Post, EnrolAsync));
        endpoints.Map(HeartbeatKeyExchange.Path, context => HandleAsync(context, EstOperation.HeartbeatKey, HttpMethods.Post, HeartbeatKeyAsync));
        endpoints.Map(EstProtocol.CrlPath, context => HandleAsync(context, EstOperation.Crl, HttpMethods.Get, CrlAsync));
        return endpoints;
    }

    private static async Task HandleAsync(
        HttpContext context, EstOperation operation, string method, Func<HttpContext, EstOperation, ClientIdentity?, Task> handler)
    {
        var identity = IdentityOf(context);
        try
        {
            if (!string.Equals(context.Request.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers.Allow = method;
                throw new EstRefusedException(EstRefusal.MethodNotAllowed, $"use {method}", deviceId: identity?.DeviceId);
            }

            await handler(context, operation, identity).ConfigureAwait(false);
        }
        catch (EstRefusedException refusal)
        {
            var auditor = context.RequestServices.GetRequiredService<RefusalAuditor>();
            auditor.Record(context.Connection.RemoteIpAddress, refusal.Reason, refusal.DeviceId ?? identity?.DeviceId);
            await WriteProblemAsync(context, refusal).ConfigureAwait(false);
        }
    }

    private static Task CaCertsAsync(HttpContext context, EstOperation operation, ClientIdentity? identity)
    {
        var service = context.RequestServices.GetRequiredService<EnrolmentService>();
        service.Authorize(identity, operation);
        return WriteCertsOnlyAsync(context, EstProtocol.Pkcs7MediaType, service.CaCertificates, context.RequestAborted);
    }

    private static async Task EnrolAsync(HttpContext context, EstOperation operation, ClientIdentity? identity)
    {
        var service = context.RequestServices.GetRequiredService<EnrolmentService>();
        var options = context.RequestServices.GetRequiredService<IOptions<EstOptions>>().Value;
        using var result = await service.EnrolAsync(
            identity, operation, cancellation => ReadCsrAsync(context, operation, identity, options.MaxRequestBodyBytes, cancellation), context.RequestAborted)
            .ConfigureAwait(false);
        var certsOnly = CertsOnlyMessage.Encode([result.Certificate]);
        if (result.GeneratedKey is { } key)
        {
            var boundary = ServerKeyGenResponse.NewBoundary();
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = ServerKeyGenResponse.ContentType(boundary);
            context.Response.Headers.CacheControl = "no-store";
            await ServerKeyGenResponse.WriteAsync(context.Response.Body, boundary, key, certsOnly, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await WriteCertsOnlyAsync(context, EstProtocol.CertsOnlyContentType, certsOnly, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task HeartbeatKeyAsync(HttpContext context, EstOperation operation, ClientIdentity? identity)
    {
        // The TLS client certificate says who asks: a body means a confused client.
        if (context.Request.ContentLength is > 0 || (context.Request.ContentLength is null && await HasBodyAsync(context).ConfigureAwait(false)))
        {
            throw new EstRefusedException(EstRefusal.UnexpectedBody, "the heartbeat key request has no body", deviceId: identity?.DeviceId);
        }

        var service = context.RequestServices.GetRequiredService<EnrolmentService>();
        var body = service.HeartbeatKey(identity);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = HeartbeatKeyExchange.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    // Any client the handshake accepted may read the CRL: it is signed, public data.
    private static async Task CrlAsync(HttpContext context, EstOperation operation, ClientIdentity? identity)
    {
        if (identity is null)
        {
            throw new EstRefusedException(EstRefusal.NoClientCertificate, "the CRL is served to clients with an accepted certificate");
        }

        var crl = context.RequestServices.GetRequiredService<RevocationListPublisher>().Current();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = EstProtocol.CrlMediaType;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = crl.Length;
        await context.Response.Body.WriteAsync(crl, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadCsrAsync(HttpContext context, EstOperation operation, ClientIdentity? identity, int limit, CancellationToken cancellation)
    {
        var deviceId = identity?.DeviceId;
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            throw new EstRefusedException(EstRefusal.BodyTooLarge, $"the body is larger than {limit} bytes", deviceId: deviceId);
        }

        var body = await ReadBodyAsync(request.Body, limit, deviceId, cancellation).ConfigureAwait(false);
        if (body.Length == 0 && operation == EstOperation.ServerKeyGen)
        {
            // No CSR: the device cannot make one (nanoFramework has no CSR API); the gateway
            // names the certificate after the authenticated device anyway.
            return null;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals(EstProtocol.Pkcs10MediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw new EstRefusedException(EstRefusal.UnsupportedMediaType, $"the body must be {EstProtocol.Pkcs10MediaType}", deviceId: deviceId);
        }

        // RFC 7030 bodies are base64 whether or not the client says so (RFC 8951 §3.2).
        var transferEncoding = request.Headers[EstProtocol.TransferEncodingHeader].ToString();
        if (transferEncoding.Length > 0 && !transferEncoding.Trim().Equals(EstProtocol.Base64, StringComparison.OrdinalIgnoreCase))
        {
            throw new EstRefusedException(EstRefusal.MalformedRequest, "the only Content-Transfer-Encoding accepted is base64", deviceId: deviceId);
        }

        return Base64Body.TryDecode(body)
            ?? throw new EstRefusedException(EstRefusal.MalformedRequest, "the body is not base64", deviceId: deviceId);
    }

    private static async Task<byte[]> ReadBodyAsync(Stream body, int limit, string? deviceId, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        while (true)
        {
            int read;
            try
            {
                read = await body.ReadAsync(chunk, cancellation).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw new EstRefusedException(EstRefusal.BodyTooLarge, $"the body is larger than {limit} bytes", e) { DeviceId = deviceId };
            }

            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > limit)
            {
                throw new EstRefusedException(EstRefusal.BodyTooLarge, $"the body is larger than {limit} bytes", deviceId: deviceId);
            }

            buffer.Write(chunk, 0, read);
        }
    }

    private static async Task<bool> HasBodyAsync(HttpContext context)
    {
        var feature = context.Features.Get<IHttpRequestBodyDetectionFeature>();
        if (feature is { CanHaveBody: false })
        {
            return false;
        }

        var probe = new byte[1];
        return await context.Request.Body.ReadAsync(probe, context.RequestAborted).ConfigureAwait(false) > 0;
    }

    private static async Task WriteCertsOnlyAsync(HttpContext context, string contentType, ReadOnlyMemory<byte> certsOnly, CancellationToken cancellation)
    {
        var body = Base64Body.Encode(certsOnly.Span);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.Headers[EstProtocol.TransferEncodingHeader] = EstProtocol.Base64;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, cancellation).ConfigureAwait(false);
    }

    private static async Task WriteProblemAsync(HttpContext context, EstRefusedException refusal)
    {
        if (context.Response.HasStarted)
        {
            // Too late for a status: cut the connection so the client does not take a
            // truncated body for an answer.
            context.Abort();
            return;
        }

        var response = context.Response;
        response.StatusCode = refusal.StatusCode;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (refusal.RetryAfter is { } retryAfter)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var body = Encoding.UTF8.GetBytes(EstRefusals.CodeOf(refusal.Reason) + ": " + refusal.Message + "\n");
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static ClientIdentity? IdentityOf(HttpContext context)
    {
        var connections = context.RequestServices.GetRequiredService<DeviceConnections>();
        var identity = connections.IdentityOf(context.Connection.Id);
        if (identity is null && context.Connection.ClientCertificate is { } certificate)
        {
            // Not seen at a handshake of this listener (another listener, a test host): judge now.
            identity = context.RequestServices.GetRequiredService<ClientIdentityResolver>().Resolve(certificate).Identity;
        }

        return identity;
    }
}
