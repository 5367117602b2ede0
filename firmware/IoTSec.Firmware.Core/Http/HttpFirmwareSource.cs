using System;
using IoTSec.Firmware.Ota;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Http
{
    /// <summary>
    /// <see cref="IFirmwareSource"/> over <see cref="Http11Client"/>: each read is one
    /// <c>GET</c> with <c>Range: bytes=first-last</c>, so a download cut by a reboot or a lost
    /// link resumes at the first byte not yet written. The answer must be the range asked for
    /// (206 with a matching Content-Range); a server that ignores Range may answer 200 only for
    /// a read from byte 0 that fits the chunk.
    /// </summary>
    public sealed class HttpFirmwareSource : IFirmwareSource
    {
        private readonly Http11Client _client;

        /// <summary>Creates the source.</summary>
        /// <param name="client">A client with the device's operational credentials for the gateway's HTTPS port.</param>
        public HttpFirmwareSource(Http11Client client)
        {
            if (client == null)
            {
                throw new ArgumentNullException("client");
            }

            _client = client;
        }

        /// <inheritdoc />
        public int ReadRange(string resource, long position, byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            if (position < 0 || count < 1 || offset < 0 || offset + count > buffer.Length)
            {
                throw new ArgumentOutOfRangeException("count", "A range read needs a position not negative and room for at least one byte.");
            }

            long last = position + count - 1;
            var request = new HttpRequest("GET", resource).AddHeader("Range", "bytes=" + position.ToString() + "-" + last.ToString());
            HttpResponse response;
            try
            {
                response = _client.Send(request, _client.Limits.WithMaxBodyLength(count));
            }
            catch (HttpResponseRejectedException e)
            {
                // A malformed answer is a failed transfer: the caller retries from the same position.
                throw new NetworkException("download of " + resource + " at byte " + position.ToString() + ": " + e.Message, e);
            }

            return CopyRange(resource, response, position, last, buffer, offset);
        }

        private static int CopyRange(string resource, HttpResponse response, long position, long last, byte[] buffer, int offset)
        {
            byte[] body = response.Body;
            if (response.StatusCode == 206)
            {
                ContentRange range = ContentRange.Parse(response.GetHeader("content-range"));
                if (range == null || range.IsUnsatisfied || range.First != position || range.Last > last || range.Last - range.First + 1 != body.Length)
                {
                    throw Mismatch(resource, position, "206 whose Content-Range does not match the range asked for or the body");
                }
            }
            else if (response.StatusCode == 416)
            {
                // Asked past the end: the position is the image's length, the download is complete.
                ContentRange range = ContentRange.Parse(response.GetHeader("content-range"));
                if (range != null && range.IsUnsatisfied && position >= range.CompleteLength)
                {
                    return 0;
                }

                throw Mismatch(resource, position, "416 for a position inside the resource");
            }
            else if (response.StatusCode == 200)
            {
                if (position != 0)
                {
                    throw Mismatch(resource, position, "200 (the whole resource) for a range not starting at 0");
                }
            }
            else
            {
                throw new NetworkException("download of " + resource + " at byte " + position.ToString() + ": HTTP " + response.StatusCode.ToString());
            }

            Array.Copy(body, 0, buffer, offset, body.Length);
            return body.Length;
        }

        private static NetworkException Mismatch(string resource, long position, string what)
        {
            var rejected = new HttpResponseRejectedException(HttpRejection.RangeMismatch, what);
            return new NetworkException("download of " + resource + " at byte " + position.ToString() + ": " + rejected.Message, rejected);
        }
    }
}
