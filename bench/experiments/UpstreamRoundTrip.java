// NOT PART OF THE BUILD. A probe (docs/PERFORMANCE.md, "Nineteenth session: where one
// connection's time goes"): the round trip of one Converse call to the Bedrock stub with the
// gateway's HTTP client library (Apache HttpClient 5, classic, pooled), one call after another
// from a platform thread and from a virtual thread, alternating (RoundTrips); prints p10/p50/p90
// a round. Run from the project root after a build (the stub: BenchStub, as bench/run.sh starts it):
//   java -cp "gateway-server/target/test-classes:<test classpath>" \
//     io.llmgateway.server.bench.BenchStub &      # prints STUB <url>
//   java -cp "<test classpath>" bench/experiments/UpstreamRoundTrip.java <url> 10000
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

public class UpstreamRoundTrip {
  public static void main(String[] args) throws Exception {
    String url = args[0] + "/model/us.amazon.nova-micro-v1%3A0/converse";
    byte[] body =
        ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Say hello to the benchmark\"}]}],"
                + "\"inferenceConfig\":{\"maxTokens\":16}}")
            .getBytes();
    CloseableHttpClient client =
        HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().build())
            .build();
    RoundTrips.alternate(
        Integer.parseInt(args[1]),
        3000,
        () ->
            () -> {
              HttpPost post = new HttpPost(url);
              post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
              client.execute(post, r -> EntityUtils.toByteArray(r.getEntity()));
            });
  }
}
