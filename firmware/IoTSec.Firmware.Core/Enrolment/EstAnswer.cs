using IoTSec.Firmware.Http;

namespace IoTSec.Firmware.Enrolment
{
    /// <summary>Turns a gateway's non-200 answer into a typed <see cref="EnrolmentException"/> (est.md, "Status codes").</summary>
    internal static class EstAnswer
    {
        private const int MaxCodeWordLength = 40;

        public static EnrolmentException Refusal(string step, HttpResponse response)
        {
            int status = response.StatusCode;
            string codeWord = CodeWord(response);
            int retryAfter = RetryAfter(response);
            EnrolmentFailure reason;
            if (status == 409 || status == 429 || status == 503)
            {
                reason = EnrolmentFailure.Busy;
            }
            else if (status >= 500)
            {
                reason = EnrolmentFailure.ServerError;
            }
            else if (status == 401 || status == 403)
            {
                reason = EnrolmentFailure.Refused;
            }
            else if (status == 404)
            {
                reason = EnrolmentFailure.UnknownDevice;
            }
            else if (status >= 400)
            {
                reason = EnrolmentFailure.RequestRejected;
            }
            else
            {
                reason = EnrolmentFailure.ResponseMalformed;
            }

            string message = step + " answered HTTP " + status.ToString() + (codeWord.Length > 0 ? " " + codeWord : string.Empty);
            return new EnrolmentException(reason, status, codeWord, retryAfter, message, null);
        }

        /// <summary>The code word before the colon of a text/plain refusal ("unknown-device: ..."), or empty.</summary>
        public static string CodeWord(HttpResponse response)
        {
            string type = response.GetHeader("content-type");
            if (type == null || type.ToLower().IndexOf("text/plain") != 0)
            {
                return string.Empty;
            }

            byte[] body = response.Body;
            for (int i = 0; i < body.Length && i <= MaxCodeWordLength; i++)
            {
                byte b = body[i];
                if (b == ':')
                {
                    if (i == 0)
                    {
                        return string.Empty;
                    }

                    char[] word = new char[i];
                    for (int j = 0; j < i; j++)
                    {
                        word[j] = (char)body[j];
                    }

                    return new string(word);
                }

                // Only the code-word alphabet: the rest of the body is never copied into logs.
                if (!((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-'))
                {
                    return string.Empty;
                }
            }

            return string.Empty;
        }

        /// <summary>Retry-After in delta-seconds (the HTTP-date form is not used by the gateway and counts as absent), or -1.</summary>
        public static int RetryAfter(HttpResponse response)
        {
            long seconds = HttpResponseReader.ParseDecimal(response.GetHeader("retry-after"));
            if (seconds < 0)
            {
                return -1;
            }

            return seconds > EnrolmentBackoff.MaxRetryAfterSeconds ? EnrolmentBackoff.MaxRetryAfterSeconds : (int)seconds;
        }
    }
}
