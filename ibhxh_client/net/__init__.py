"""Network plumbing shared by the gateway client and the remote signing client."""
