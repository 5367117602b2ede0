using System.Text;
using IoTSec.Firmware.Http;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Http;

/// <summary>The device's HTTP/1.1 response parser: framing, limits, and a typed reason for every refusal.</summary>
[TestClass]
public sealed class HttpResponseReaderTests
{
    private static readonly HttpLimits Small = new(64, 4, 200, 32);

    [TestMethod]
    public void ContentLengthBodyIsReadExactly()
    {
        var response = Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
        Assert.AreEqual(200, response.StatusCode);
        Assert.AreEqual("OK", response.ReasonPhrase);
        Assert.AreEqual("text/plain", response.GetHeader("CONTENT-TYPE"));
        Assert.AreEqual("hello", Encoding.ASCII.GetString(response.Body));
    }

    [TestMethod]
    public void ChunkedBodyIsReassembledWithExtensionsAndTrailers()
    {
        var response = Parse("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n1 \r\n,\r\n0006\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n");
        Assert.AreEqual(201, response.StatusCode);
        Assert.AreEqual("hello, world", Encoding.ASCII.GetString(response.Body));
    }

    [TestMethod]
    public void EmptyReasonPhraseAndBodylessStatusesAreAccepted()
    {
        Assert.AreEqual(string.Empty, Parse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").ReasonPhrase);
        Assert.AreEqual(0, Parse("HTTP/1.1 204 No Content\r\n\r\n").Body.Length);
        Assert.AreEqual(0, Parse("HTTP/1.0 304 Not Modified\r\n\r\n").Body.Length);
    }

    [TestMethod]
    [DataRow("", HttpRejection.ConnectionClosed, DisplayName = "nothing")]
    [DataRow("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", HttpRejection.ConnectionClosed, DisplayName = "truncated body")]
    [DataRow("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", HttpRejection.ConnectionClosed, DisplayName = "truncated chunk")]
    [DataRow("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n", HttpRejection.ConnectionClosed, DisplayName = "headers not ended")]
    [DataRow("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", HttpRejection.ConnectionClosed, DisplayName = "no last chunk")]
    [DataRow("HTTP/2 200 OK\r\n\r\n", HttpRejection.UnsupportedVersion, DisplayName = "HTTP/2")]
    [DataRow("HTTP/1.2 200 OK\r\n\r\n", HttpRejection.UnsupportedVersion, DisplayName = "HTTP/1.2")]
    [DataRow("ICY 200 OK\r\n\r\n", HttpRejection.StatusLineInvalid, DisplayName = "not HTTP")]
    [DataRow("HTTP/1.1 2x0 OK\r\n\r\n", HttpRejection.StatusLineInvalid, DisplayName = "status not digits")]
    [DataRow("HTTP/1.1 100 Continue\r\n\r\n", HttpRejection.StatusLineInvalid, DisplayName = "interim 1xx")]
    [DataRow("HTTP/1.1 600 Odd\r\n\r\n", HttpRejection.StatusLineInvalid, DisplayName = "status over 599")]
    [DataRow("HTTP/1.1 2000 OK\r\n\r\n", HttpRejection.StatusLineInvalid, DisplayName = "four-digit status")]
    [DataRow("HTTP/1.1 200 OK\nContent-Length: 0\n\n", HttpRejection.StatusLineInvalid, DisplayName = "bare LF")]
    [DataRow("HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 0\r\n\r\n", HttpRejection.HeaderInvalid, DisplayName = "bare CR in a header")]
    [DataRow("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", HttpRejection.HeaderInvalid, DisplayName = "header without colon")]
    [DataRow("HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", HttpRejection.HeaderInvalid, DisplayName = "space before colon")]
    [DataRow("HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n", HttpRejection.HeaderInvalid, DisplayName = "obs-fold")]
    [DataRow("HTTP/1.1 200 OK\r\nX-A: \u0001\r\n\r\n", HttpRejection.HeaderInvalid, DisplayName = "control character")]
    [DataRow("HTTP/1.1 200 OK\r\nX-A: 0123456789012345678901234567890123456789012345678901234567890123456789\r\n\r\n", HttpRejection.LineTooLong, DisplayName = "long header line")]
    [DataRow("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nContent-Length: 0\r\n\r\n", HttpRejection.TooManyHeaders, DisplayName = "too many headers")]
    [DataRow("HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello", HttpRejection.ContentLengthInvalid, DisplayName = "Content-Length not a number")]
    [DataRow("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", HttpRejection.ContentLengthInvalid, DisplayName = "negative Content-Length")]
    [DataRow("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", HttpRejection.ContentLengthInvalid, DisplayName = "two Content-Length")]
    [DataRow("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", HttpRejection.ConflictingFraming, DisplayName = "Content-Length and chunked")]
    [DataRow("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", HttpRejection.UnsupportedTransferEncoding, DisplayName = "gzip")]
    [DataRow("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", HttpRejection.ChunkInvalid, DisplayName = "chunk size not hex")]
    [DataRow("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", HttpRejection.ChunkInvalid, DisplayName = "empty chunk size")]
    [DataRow("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n", HttpRejection.ChunkInvalid, DisplayName = "chunk longer than its size")]
    [DataRow("HTTP/1.1 200 OK\r\nContent-Length: 33\r\n\r\n", HttpRejection.BodyTooLarge, DisplayName = "Content-Length over the limit")]
    [DataRow("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n11\r\n", HttpRejection.BodyTooLarge, DisplayName = "chunks over the limit")]
    [DataRow("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", HttpRejection.BodyTooLarge, DisplayName = "huge chunk size")]
    [DataRow("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", HttpRejection.BodyLengthMissing, DisplayName = "no framing")]
    public void MalformedResponsesAreRefusedWithTheirReason(string response, HttpRejection expected)
    {
        var refused = Assert.ThrowsExactly<HttpResponseRejectedException>(() => Parse(response));
        Assert.AreEqual(expected, refused.Reason, refused.Message);
        StringAssert.Contains(refused.Message, HttpResponseRejectedException.ReasonName(expected));
    }

    [TestMethod]
    public void TheHeaderByteBudgetCountsEveryLine()
    {
        string headers = "A: " + new string('x', 60) + "\r\nB: " + new string('x', 60) + "\r\nC: " + new string('x', 60) + "\r\n";
        var refused = Assert.ThrowsExactly<HttpResponseRejectedException>(() => Parse("HTTP/1.1 200 OK\r\n" + headers + "Content-Length: 0\r\n\r\n", new HttpLimits(64, 10, 150, 32)));
        Assert.AreEqual(HttpRejection.TooManyHeaders, refused.Reason);
    }

    [TestMethod]
    public void RequestsCannotCarryInjectedLines()
    {
        Assert.ThrowsExactly<System.ArgumentException>(() => new HttpRequest("GET", "/a b"));
        Assert.ThrowsExactly<System.ArgumentException>(() => new HttpRequest("GET", "/a\r\nX: y"));
        Assert.ThrowsExactly<System.ArgumentException>(() => new HttpRequest("GE T", "/"));
        Assert.ThrowsExactly<System.ArgumentException>(() => new HttpRequest("GET", "/").AddHeader("X", "a\r\nInjected: 1"));
        Assert.ThrowsExactly<System.ArgumentException>(() => new HttpRequest("GET", "/").AddHeader("Content-Length", "5"));
    }

    [TestMethod]
    [DataRow("bytes 0-9/100", 0L, 9L, 100L)]
    [DataRow("bytes 90-99/*", 90L, 99L, -1L)]
    [DataRow("bytes */100", -1L, -1L, 100L)]
    public void ContentRangeForms(string value, long first, long last, long complete)
    {
        var range = ContentRange.Parse(value)!;
        Assert.AreEqual(first, range.First);
        Assert.AreEqual(last, range.Last);
        Assert.AreEqual(complete, range.CompleteLength);
    }

    [TestMethod]
    [DataRow("bytes 9-0/100")]
    [DataRow("bytes 0-100/100")]
    [DataRow("items 0-9/100")]
    [DataRow("bytes 0-9")]
    [DataRow("bytes */*")]
    [DataRow("bytes -5-9/100")]
    public void ContentRangeNonsenseIsRefused(string value) => Assert.IsNull(ContentRange.Parse(value));

    private static HttpResponse Parse(string text, HttpLimits? limits = null) =>
        HttpResponseReader.Parse(Encoding.Latin1.GetBytes(text), limits ?? Small);
}
