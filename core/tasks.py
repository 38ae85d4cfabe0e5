from celery import shared_task


@shared_task(name="core.ping")
def ping_task(value="pong"):
    """Health check for the queue: a worker that answers proves broker and worker are up."""
    return value
