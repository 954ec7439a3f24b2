"""FormCheck as a web service: FastAPI app, job queue, web pages."""
