package io.llmgateway.server.ui;

import java.util.List;

/** The operators page: each named operator with its role, and the teams to choose from. */
record OperatorsView(List<Row> operators, List<String> teams) {

  record Row(String name, String role, String teams, String updated) {
    public boolean isViewer() {
      return role.equals("viewer");
    }

    public boolean isTeamAdmin() {
      return role.equals("team_admin");
    }

    public boolean isProxyAdmin() {
      return role.equals("proxy_admin");
    }

    public String ref() {
      return Fmt.q(name);
    }
  }
}
