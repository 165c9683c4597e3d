"""The AWS side: one module per service the resources call, their errors, clients and retries."""
