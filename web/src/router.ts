import { createRouter, createWebHistory, type RouterHistory } from 'vue-router'
import ReleaseList from './views/ReleaseList.vue'
import ReleaseDetail from './views/ReleaseDetail.vue'
import NotFound from './views/NotFound.vue'
import InsightsPage from './views/InsightsPage.vue'

export const routes = [
  { path: '/', redirect: '/releases' },
  { path: '/releases', name: 'releases', component: ReleaseList },
  { path: '/releases/:id', name: 'release', component: ReleaseDetail, props: true },
  { path: '/insights', name: 'insights', component: InsightsPage },
  { path: '/:rest(.*)*', name: 'not-found', component: NotFound },
]

export function makeRouter(history: RouterHistory = createWebHistory()) {
  return createRouter({
    history,
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
}
