using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>Checks of the EST service's typed problem responses and TLS-level refusals.</summary>
internal static class EstAssert
{
    /// <summary>The response is a text/plain problem with <paramref name="status"/> and the code word <paramref name="code"/>.</summary>
    public static async Task RefusedAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(status, response.StatusCode, body);
        Assert.AreEqual("text/plain", response.Content.Headers.ContentType?.MediaType, body);
        Assert.StartsWith(code + ": ", body);
    }

    /// <summary>The request fails at the TLS handshake (the server refused the client certificate).</summary>
    public static async Task RefusedAtTlsAsync(Func<Task<HttpResponseMessage>> request)
    {
        try
        {
            using var response = await request();
            Assert.Fail($"expected the TLS handshake to be refused, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        catch (HttpRequestException)
        {
            // The server's alert (TLS 1.2) or its closing the connection after the client's
            // Finished (TLS 1.3) surfaces here.
        }
    }
}
